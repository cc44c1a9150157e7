//! Personal data at rest (docs/personal-data.md; 等保 DB-DC-2, PIPL Art. 51): the applicant is
//! stored as JSON whose ID number, phone, e-mail and address are sealed with the data
//! directory's key ([`crate::secrets`]); the name (needed to find a case) and an
//! organisation's public credit code stay readable. A blind index of the ID number lets a
//! clerk find a case by the full number.

use crate::error::{AppError, Result};
use crate::secrets::{Keyring, Purpose};
use gongkai_core::application::Applicant;
use serde_json::Value;

/// The sealed fields, as JSON paths inside the stored applicant.
const SEALED: [&[&str]; 4] = [
    &["id_number"],
    &["contact", "phone"],
    &["contact", "email"],
    &["contact", "address"],
];

fn field<'a>(v: &'a mut Value, path: &[&str]) -> Option<&'a mut Value> {
    path.iter().try_fold(v, |v, k| v.get_mut(*k))
}

/// The applicant as stored: JSON with the personal fields sealed, and the ID number's index.
pub fn seal_applicant(keys: &Keyring, a: &Applicant) -> Result<(String, Option<String>)> {
    let mut v = serde_json::to_value(a)
        .map_err(|e| AppError::internal("cannot encode the applicant", e))?;
    for path in SEALED {
        if let Some(Value::String(s)) = field(&mut v, path)
            && !s.is_empty()
        {
            *s = keys
                .seal(Purpose::Applicant, s)
                .map_err(|e| AppError::internal("cannot seal personal data", e))?;
        }
    }
    let index = match a {
        Applicant::Person(p) => Some(id_index(keys, &p.id_number)),
        Applicant::Organisation(_) => None,
    };
    Ok((v.to_string(), index))
}

/// Reads a stored applicant, opening its sealed fields (fields stored in clear by an older
/// version read as they are). `Err` names what is wrong, for the caller's corruption report.
pub fn open_applicant(keys: &Keyring, stored: &str) -> std::result::Result<Applicant, String> {
    let mut v: Value = serde_json::from_str(stored).map_err(|e| e.to_string())?;
    for path in SEALED {
        if let Some(Value::String(s)) = field(&mut v, path) {
            *s = keys
                .open(Purpose::Applicant, s)
                .map_err(|e| format!("{}: {e}", path.join(".")))?;
        }
    }
    serde_json::from_value(v).map_err(|e| e.to_string())
}

/// The blind index of an ID number under the current key: upper-cased, spaces dropped.
pub fn id_index(keys: &Keyring, id_number: &str) -> String {
    let n: String = id_number
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect();
    keys.mac(Purpose::IdIndex, &[n.as_bytes()])
}

/// True when a stored applicant still has a personal field in clear or sealed under a key
/// other than the current one.
pub fn needs_reseal(keys: &Keyring, stored: &str) -> bool {
    let Ok(mut v) = serde_json::from_str::<Value>(stored) else {
        return false;
    };
    SEALED.iter().any(|path| match field(&mut v, path) {
        Some(Value::String(s)) if !s.is_empty() => Keyring::key_of(s) != Some(keys.current_id()),
        _ => false,
    })
}

/// Re-seals, in one transaction, every stored applicant that is in clear or under an older
/// key, and rewrites the ID-number index under the current key. Returns how many rows changed.
pub async fn reseal_all(db: &gongkai_store::Db, keys: &Keyring) -> Result<usize> {
    use gongkai_store::repo::secret::{self as repo, Holder};
    let mut tx = db.begin().await?;
    let mut changed = 0;
    for holder in [Holder::Application, Holder::OnlineSubmission] {
        for (id, stored) in repo::applicants(&mut tx, holder).await? {
            let a = open_applicant(keys, &stored).map_err(|e| AppError::Corrupt {
                number: format!("{holder:?} {id}"),
                seq: 0,
                message: format!("applicant: {e}"),
            })?;
            let (sealed, index) = seal_applicant(keys, &a)?;
            let index = index.filter(|_| holder == Holder::Application);
            repo::reseal(&mut tx, holder, id, &sealed, index.as_deref()).await?;
            changed += 1;
        }
    }
    tx.commit().await?;
    Ok(changed)
}

/// What `gongkai key rotate` did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Rotated {
    /// The new current key.
    pub key: u32,
    /// Keys kept to verify older keyed hashes (query codes, the audit chain).
    pub kept: Vec<u32>,
    /// Stored applicants re-sealed under the new key.
    pub resealed: usize,
}

/// Adds a new current key to the data directory's key file and re-seals the personal data
/// under it. The file is written first (atomically): if re-sealing fails, the rows stay under
/// the old key, which is still in the file.
pub async fn rotate_keys(app: &crate::App) -> Result<Rotated> {
    use crate::secrets::KeyOrigin;
    let mut ring = match Keyring::load(&app.dir) {
        Ok(Some(r)) if matches!(r.origin, KeyOrigin::File(_)) => r,
        Ok(Some(_)) => {
            return Err(AppError::refused(
                format!(
                    "the keys come from {}: rotate them there (append a new line `k<N+1> <64 hex digits>`), then run `gongkai key reseal`",
                    crate::secrets::KEY_ENV
                ),
                format!(
                    "密钥来自环境变量 {}：请在该处轮换（追加一行 `k<N+1> <64位十六进制>`），然后运行 `gongkai key reseal`",
                    crate::secrets::KEY_ENV
                ),
            ));
        }
        Ok(None) => {
            return Err(AppError::invalid(
                "the data directory has no key file",
                "数据目录中没有密钥文件",
            ));
        }
        Err(e) => {
            return Err(AppError::invalid(
                e.to_string(),
                format!("无法读取密钥：{e}"),
            ));
        }
    };
    let key = ring
        .rotate()
        .map_err(|e| AppError::internal("cannot make a new key", e))?;
    ring.save(&app.dir)
        .map_err(|e| AppError::internal("cannot write the key file", e))?;
    let check = ring
        .check_value(key)
        .map_err(|e| AppError::internal("cannot make the key's check value", e))?;
    gongkai_store::repo::secret::record_check(
        &app.db,
        i64::from(key),
        &check,
        time::OffsetDateTime::now_utc(),
    )
    .await?;
    let resealed = reseal_all(&app.db, &ring).await?;
    Ok(Rotated {
        key,
        kept: ring.ids().into_iter().filter(|k| *k != key).collect(),
        resealed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::KeyOrigin;
    use gongkai_core::application::{Contact, IdType};

    #[test]
    fn pi_4_applicant_fields_are_sealed_and_reopened() {
        let keys = Keyring::generate(KeyOrigin::Memory).expect("key");
        let today = time::macros::date!(2026 - 12 - 06);
        let a = Applicant::person(
            "张三",
            IdType::ResidentIdCard,
            "11010519491231002X",
            Contact {
                phone: Some("13812345678".into()),
                email: None,
                address: Some("北京市西城区某街1号".into()),
                postcode: Some("100032".into()),
            },
            today,
        )
        .expect("valid");
        let (stored, index) = seal_applicant(&keys, &a).expect("seal");
        for secret in ["11010519491231002X", "13812345678", "某街1号"] {
            assert!(!stored.contains(secret), "{secret} in {stored}");
        }
        assert!(stored.contains("张三"));
        assert_eq!(open_applicant(&keys, &stored).expect("open"), a);
        assert_eq!(index, Some(id_index(&keys, "11010519491231002x")));
        assert!(!needs_reseal(&keys, &stored));
        // A row written in clear by an older version reads, and asks to be sealed.
        let clear = serde_json::to_string(&a).expect("json");
        assert_eq!(open_applicant(&keys, &clear).expect("clear"), a);
        assert!(needs_reseal(&keys, &clear));
    }
}
