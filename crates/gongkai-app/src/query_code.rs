//! The 查询码 an applicant uses with the 申请编号 to follow a case (docs/rules/identifiers.md): 65
//! random bits as 13 Crockford base-32 characters, shown in groups. Only a keyed hash is stored
//! (HMAC-SHA256 under the data directory's secret key, bound to the 申请编号; RL-6): a copy of
//! the database alone does not allow the codes to be tried offline. The code is shown once, on
//! the receipt. Digests written before the key existed (an unkeyed SHA-256) still verify.

use crate::secrets::{Keyring, Purpose};
use sha2::{Digest, Sha256};

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const LEN: usize = 13;

/// A fresh code from the operating system's CSPRNG, e.g. `7KQ4-M2XD-9TRWB`.
pub fn generate() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 9];
    getrandom::fill(&mut bytes)?;
    let mut bits: u128 = 0;
    for b in bytes {
        bits = (bits << 8) | u128::from(b);
    }
    let mut chars = Vec::with_capacity(LEN + 2);
    for i in 0..LEN {
        if i == 4 || i == 8 {
            chars.push(b'-');
        }
        chars.push(ALPHABET[((bits >> (5 * i)) & 31) as usize]);
    }
    Ok(String::from_utf8_lossy(&chars).into_owned())
}

/// Upper-cases, drops separators and folds the look-alikes Crockford allows (I, L → 1; O → 0).
pub fn normalize(code: &str) -> String {
    code.chars()
        .filter(|c| !matches!(c, '-' | ' ' | '\u{3000}'))
        .map(|c| match c.to_ascii_uppercase() {
            'I' | 'L' => '1',
            'O' => '0',
            c => c,
        })
        .collect()
}

/// The stored keyed hash, bound to the 申请编号 so equal codes of two cases differ.
pub fn digest(keys: &Keyring, number: &str, code: &str) -> String {
    keys.mac(
        Purpose::QueryCode,
        &[number.as_bytes(), normalize(code).as_bytes()],
    )
}

/// The unkeyed digest of earlier versions.
fn legacy_digest(number: &str, code: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"gongkai-query-code\0");
    h.update(number.as_bytes());
    h.update(b"\0");
    h.update(normalize(code).as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares in constant time. `stored` of `None` spends the same work and answers `false`
/// (an unknown number must not answer faster than a wrong code).
pub fn verify(keys: &Keyring, number: &str, code: &str, stored: Option<&str>) -> bool {
    let code = normalize(code);
    let parts: [&[u8]; 2] = [number.as_bytes(), code.as_bytes()];
    match stored {
        Some(s) if Keyring::is_mac(s) => keys
            .verify_mac(Purpose::QueryCode, &parts, s)
            .unwrap_or(false),
        Some(s) => legacy_verify(number, &code, s),
        None => {
            std::hint::black_box(keys.mac(Purpose::QueryCode, &parts));
            false
        }
    }
}

fn legacy_verify(number: &str, code: &str, stored: &str) -> bool {
    let d = legacy_digest(number, code);
    d.len() == stored.len()
        && d.bytes()
            .zip(stored.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rl_6_query_code_format_and_digest() {
        let keys = Keyring::generate(crate::secrets::KeyOrigin::Memory).expect("key");
        let a = generate().expect("random");
        let b = generate().expect("random");
        assert_ne!(a, b);
        assert_eq!(a.len(), LEN + 2);
        assert_eq!(normalize(&a).len(), LEN);
        assert!(normalize(&a).bytes().all(|c| ALPHABET.contains(&c)));
        let stored = digest(&keys, "2021-000001", &a);
        let verify = |n: &str, c: &str, s: &str| verify(&keys, n, c, Some(s));
        assert!(verify("2021-000001", &a, &stored));
        assert!(verify(
            "2021-000001",
            &a.to_lowercase().replace('-', " "),
            &stored
        ));
        assert!(!verify("2021-000002", &a, &stored));
        assert!(!verify("2021-000001", &b, &stored));
        assert!(!stored.contains(&normalize(&a)));
        // Keyed: another installation's key does not verify it; the unkeyed digest of
        // earlier versions still does.
        let other = Keyring::generate(crate::secrets::KeyOrigin::Memory).expect("key");
        assert!(!super::verify(&other, "2021-000001", &a, Some(&stored)));
        assert!(verify("2021-000001", &a, &legacy_digest("2021-000001", &a)));
        assert!(!super::verify(&keys, "2021-000001", &a, None));
    }
}
