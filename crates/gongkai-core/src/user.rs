//! Users and their roles. Who did something is recorded by user id, and rules such as "no
//! approving one's own draft" compare ids, never display names (two people may both be 张伟).

use crate::ids::{AgencyId, RegionId, UserId};
use serde::{Deserialize, Serialize};

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 录入: drafts catalogue items, registers applications and records their events.
    Entry,
    /// 审核: approves or returns publications and decisions.
    Review,
    /// 保密审查: the confidentiality review before publication (条例 Art. 17).
    Secrecy,
    /// 负责人: head of the disclosure office (approves extensions, Art. 33).
    Head,
    /// 管理员: manages users and settings.
    Admin,
    /// 监督: a supervisor (政务公开办) of a region, read-mostly.
    Supervise,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Entry,
        Role::Review,
        Role::Secrecy,
        Role::Head,
        Role::Admin,
        Role::Supervise,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Role::Entry => "entry",
            Role::Review => "review",
            Role::Secrecy => "secrecy",
            Role::Head => "head",
            Role::Admin => "admin",
            Role::Supervise => "supervise",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Entry => "录入",
            Role::Review => "审核",
            Role::Secrecy => "保密审查",
            Role::Head => "负责人",
            Role::Admin => "管理员",
            Role::Supervise => "监督",
        }
    }

    /// The role for its key or its Chinese label.
    pub fn parse(s: &str) -> Option<Role> {
        let s = s.trim();
        Role::ALL
            .into_iter()
            .find(|r| r.key() == s || r.label() == s)
    }

    /// Roles from a comma-separated list of keys or labels (`entry,审核`); an unknown one is
    /// named in the error.
    pub fn parse_list(s: &str) -> Result<Vec<Role>, String> {
        let mut out: Vec<Role> = Vec::new();
        for part in s
            .split([',', '，', '、'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let r = Role::parse(part).ok_or_else(|| {
                format!(
                    "unknown role {part:?}: one of {}",
                    Role::ALL
                        .map(|r| format!("{} ({})", r.key(), r.label()))
                        .join(", ")
                )
            })?;
            if !out.contains(&r) {
                out.push(r);
            }
        }
        out.sort();
        Ok(out)
    }

    /// The stored form: keys joined by commas.
    pub fn join(roles: &[Role]) -> String {
        roles.iter().map(|r| r.key()).collect::<Vec<_>>().join(",")
    }
}

/// Who takes an action: a user known to gongkai.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub id: UserId,
    /// The unique sign-in name.
    pub name: String,
    /// The name shown on documents (may be shared by two people).
    pub display_name: String,
    pub roles: Vec<Role>,
    /// The agency the user works for, or `None` for a user of the whole installation.
    pub agency: Option<AgencyId>,
    /// The region a supervisor oversees.
    pub region: Option<RegionId>,
}

impl Actor {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_by_key_and_label() {
        // A new variant does not compile until it has a position here, and fails until ALL
        // holds it at that position.
        let position = |r: Role| match r {
            Role::Entry => 0,
            Role::Review => 1,
            Role::Secrecy => 2,
            Role::Head => 3,
            Role::Admin => 4,
            Role::Supervise => 5,
        };
        for r in Role::ALL {
            assert_eq!(Role::ALL.get(position(r)), Some(&r));
            assert_eq!(Role::parse(r.key()), Some(r));
            assert_eq!(Role::parse(r.label()), Some(r));
        }
        let keys: std::collections::BTreeSet<_> = Role::ALL.iter().map(|r| r.key()).collect();
        assert_eq!(keys.len(), Role::ALL.len());
        assert_eq!(
            Role::parse_list("审核, entry，审核"),
            Ok(vec![Role::Entry, Role::Review])
        );
        assert!(
            Role::parse_list("boss")
                .expect_err("unknown")
                .contains("boss")
        );
        assert_eq!(Role::join(&[Role::Entry, Role::Admin]), "entry,admin");
    }
}
