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
    /// 系统管理员: the installation's settings, agencies and regions, backups (三权分立:
    /// assigns no roles, reads no audit log; docs/security.md#separation).
    Admin,
    /// 监督: a supervisor (政务公开办) of a region, read-mostly.
    Supervise,
    /// 安全管理员: users, their roles, passwords, second factors and API tokens.
    Security,
    /// 审计管理员: reads and verifies the audit log, and nothing else.
    Audit,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::Entry,
        Role::Review,
        Role::Secrecy,
        Role::Head,
        Role::Admin,
        Role::Supervise,
        Role::Security,
        Role::Audit,
    ];

    /// The roles of a disclosure office's own work.
    pub const OFFICE: [Role; 4] = [Role::Entry, Role::Review, Role::Secrecy, Role::Head];

    /// The three administrators of 三权分立 (GB/T 22239-2019 安全管理中心): no user holds two
    /// of them (RELIABILITY DB-MC-1, docs/security.md#separation).
    pub const ADMINISTRATORS: [Role; 3] = [Role::Admin, Role::Security, Role::Audit];

    /// Whether this is one of [`Role::ADMINISTRATORS`].
    pub fn administers(self) -> bool {
        Role::ADMINISTRATORS.contains(&self)
    }

    pub fn key(self) -> &'static str {
        match self {
            Role::Entry => "entry",
            Role::Review => "review",
            Role::Secrecy => "secrecy",
            Role::Head => "head",
            Role::Admin => "admin",
            Role::Supervise => "supervise",
            Role::Security => "security",
            Role::Audit => "audit",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Entry => "录入",
            Role::Review => "审核",
            Role::Secrecy => "保密审查",
            Role::Head => "负责人",
            Role::Admin => "系统管理员",
            Role::Supervise => "监督",
            Role::Security => "安全管理员",
            Role::Audit => "审计管理员",
        }
    }

    /// The role for its key or its Chinese label (管理员, the label before 三权分立, still
    /// names the system administrator).
    pub fn parse(s: &str) -> Option<Role> {
        let s = s.trim();
        if s == "管理员" {
            return Some(Role::Admin);
        }
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

/// How a set of roles breaks 三权分立 (RELIABILITY DB-AC-4, DB-MC-1; docs/security.md#separation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Breach {
    /// Two of the three administrators in one account.
    TwoAdministrators(Role, Role),
    /// The security or audit administrator with another role: the one would open applicants'
    /// data or change what they grant, the other change what they audit.
    NotAlone(Role, Role),
    /// In the level-3 profile the system administrator too stands alone.
    NotAloneAtLevel3(Role, Role),
}

impl Breach {
    pub fn en(self) -> String {
        match self {
            Breach::TwoAdministrators(a, b) => format!(
                "one account may not be both {} and {}: the three administrators are separate people",
                a.key(),
                b.key()
            ),
            Breach::NotAlone(a, b) | Breach::NotAloneAtLevel3(a, b) => format!(
                "the {} administrator holds no other role (not {})",
                a.key(),
                b.key()
            ),
        }
    }

    pub fn zh(self) -> String {
        match self {
            Breach::TwoAdministrators(a, b) => format!(
                "同一账号不能兼任“{}”和“{}”：系统管理员、安全管理员、审计管理员应由不同人员担任（三权分立）",
                a.label(),
                b.label()
            ),
            Breach::NotAlone(a, b) => {
                format!("“{}”不能兼任其他角色（“{}”）", a.label(), b.label())
            }
            Breach::NotAloneAtLevel3(a, b) => format!(
                "按等保三级要求，“{}”不能兼任其他角色（“{}”）",
                a.label(),
                b.label()
            ),
        }
    }
}

/// The first way `roles` break the separation of the three administrators, if any. The
/// system administrator may also do an office's work in the level-2 profile (a small
/// agency's one clerk who also keeps the server), not in level 3 (`admins_stand_alone`).
pub fn separation_breach(roles: &[Role], admins_stand_alone: bool) -> Option<Breach> {
    let admins: Vec<Role> = roles.iter().copied().filter(|r| r.administers()).collect();
    if let [a, b, ..] = admins[..] {
        return Some(Breach::TwoAdministrators(a, b));
    }
    let admin = *admins.first()?;
    let other = roles.iter().copied().find(|r| *r != admin)?;
    match admin {
        Role::Admin if admins_stand_alone => Some(Breach::NotAloneAtLevel3(admin, other)),
        Role::Admin => None,
        _ => Some(Breach::NotAlone(admin, other)),
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

    /// Whether the user is only a security or audit administrator, who opens no agency's
    /// records (三权分立: no applicant's data).
    pub fn sees_no_records(&self) -> bool {
        !self.roles.is_empty()
            && self
                .roles
                .iter()
                .all(|r| matches!(r, Role::Security | Role::Audit))
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
            Role::Security => 6,
            Role::Audit => 7,
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
        assert_eq!(Role::parse("管理员"), Some(Role::Admin));
    }

    #[test]
    fn db_mc_1_no_account_holds_two_administrators() {
        use Role::*;
        for level3 in [false, true] {
            for (a, b) in [(Admin, Security), (Admin, Audit), (Security, Audit)] {
                assert_eq!(
                    separation_breach(&[a, b], level3),
                    Some(Breach::TwoAdministrators(a, b))
                );
            }
            assert_eq!(
                separation_breach(&[Entry, Security], level3),
                Some(Breach::NotAlone(Security, Entry))
            );
            assert_eq!(
                separation_breach(&[Audit, Supervise], level3),
                Some(Breach::NotAlone(Audit, Supervise))
            );
            for alone in [[Admin], [Security], [Audit], [Entry]] {
                assert_eq!(separation_breach(&alone, level3), None);
            }
            assert_eq!(separation_breach(&[Entry, Review, Head], level3), None);
        }
        let clerk_and_server = [Entry, Review, Secrecy, Head, Admin];
        assert_eq!(separation_breach(&clerk_and_server, false), None);
        assert_eq!(
            separation_breach(&clerk_and_server, true),
            Some(Breach::NotAloneAtLevel3(Admin, Entry))
        );
        let e = Breach::TwoAdministrators(Security, Audit);
        assert!(e.zh().contains("安全管理员") && e.zh().contains("审计管理员"));
        assert!(e.en().contains("security"));
    }
}
