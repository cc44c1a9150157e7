//! Who did something to the catalogue. Rules that compare people (no reviewing one's own
//! draft) compare user ids, since two people may share a display name (two 张伟); documents
//! such as the approval form (审批表) print the display name the user had at the time.

use crate::ids::UserId;
use crate::user::Actor;
use std::fmt;

/// A user as recorded on a step, a validity change, a table 二 entry or a document version.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Signer {
    /// The user, as rules compare them.
    pub id: UserId,
    /// The display name at the time, as documents print it.
    pub name: String,
}

impl Signer {
    pub fn new(id: UserId, name: impl Into<String>) -> Signer {
        Signer {
            id,
            name: name.into().trim().to_string(),
        }
    }
}

impl From<&Actor> for Signer {
    fn from(actor: &Actor) -> Signer {
        Signer::new(actor.id, actor.display_name.as_str())
    }
}

impl fmt::Display for Signer {
    /// The display name (what a form or a list shows).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signer_is_the_actors_id_and_display_name() {
        let actor = Actor {
            id: UserId::new(7),
            name: "zhangwei2".into(),
            display_name: " 张伟 ".into(),
            roles: Vec::new(),
            agency: None,
            region: None,
        };
        let s = Signer::from(&actor);
        assert_eq!(s, Signer::new(UserId::new(7), "张伟"));
        assert_eq!(s.to_string(), "张伟");
        assert_ne!(s, Signer::new(UserId::new(8), "张伟"));
    }
}
