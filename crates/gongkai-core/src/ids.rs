//! Typed ids of the stored entities. The database keys are integers; inside the program each
//! kind has its own type, so an agency id cannot be passed where an item id is wanted, and no
//! id travels as a string. They serialise as plain numbers.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

/// What kind of entity an id names.
pub trait Kind {
    /// For messages ("agency 3 not found").
    const WHAT: &'static str;
}

/// The id of an entity of kind `K`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent, bound = "")]
pub struct Id<K: Kind> {
    value: i64,
    #[serde(skip)]
    kind: PhantomData<fn() -> K>,
}

impl<K: Kind> Id<K> {
    pub const fn new(value: i64) -> Id<K> {
        Id {
            value,
            kind: PhantomData,
        }
    }

    pub const fn get(self) -> i64 {
        self.value
    }
}

impl<K: Kind> fmt::Display for Id<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

impl<K: Kind> FromStr for Id<K> {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Id<K>, IdError> {
        s.trim()
            .parse::<i64>()
            .ok()
            .filter(|n| *n > 0)
            .map(Id::new)
            .ok_or_else(|| IdError {
                what: K::WHAT,
                text: s.to_string(),
            })
    }
}

/// The kinds, one uninhabited marker type each.
pub mod kind {
    use super::Kind;

    /// An agency (行政机关).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum Agency {}
    /// A region of the hierarchy (province → city → county → township).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum Region {}
    /// An application (依申请公开); people know it by its 申请编号.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum Application {}
    /// A catalogue item (政府信息公开目录).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum Item {}
    /// A user of gongkai (staff, reviewer, supervisor).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum User {}

    impl Kind for Agency {
        const WHAT: &'static str = "agency";
    }
    impl Kind for Region {
        const WHAT: &'static str = "region";
    }
    impl Kind for Application {
        const WHAT: &'static str = "application";
    }
    impl Kind for Item {
        const WHAT: &'static str = "catalogue item";
    }
    impl Kind for User {
        const WHAT: &'static str = "user";
    }
}

pub type AgencyId = Id<kind::Agency>;
pub type RegionId = Id<kind::Region>;
pub type ApplicationId = Id<kind::Application>;
pub type ItemId = Id<kind::Item>;
pub type UserId = Id<kind::User>;

/// A text that is not an id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{text:?} is not a valid {what} id (a positive whole number)")]
pub struct IdError {
    pub what: &'static str,
    pub text: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_parse_display_and_serialise_as_numbers() {
        let id: ItemId = " 42 ".parse().expect("id");
        assert_eq!(id, ItemId::new(42));
        assert_eq!(id.to_string(), "42");
        assert_eq!(serde_json::to_string(&id).expect("json"), "42");
        assert_eq!(
            serde_json::from_str::<AgencyId>("7").expect("json"),
            AgencyId::new(7)
        );
        for bad in ["", "x", "0", "-1", "4.2"] {
            let e = bad.parse::<AgencyId>().expect_err(bad);
            assert!(e.to_string().contains("not a valid agency id"), "{e}");
        }
    }
}
