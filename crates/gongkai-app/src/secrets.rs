//! The server's secret keys (docs/personal-data.md): kept outside the database, in
//! `DIR/secret.key` (mode 0600, created by `init`) or in the environment variable
//! `GONGKAI_SECRET_KEY`, never in the database or its backups.
//!
//! A keyring holds one or more 256-bit master keys, each with a number (`k1`, `k2` …); the last
//! is current. Every key for a purpose is derived from a master key with HKDF-SHA256 and the
//! purpose's name, so one master key never serves two purposes:
//!
//! - **seal / open** — AES-256-GCM of personal data at rest (ID numbers, phones, addresses),
//!   written as `enc:a1:k<N>:<base64 of nonce ‖ ciphertext>`; the purpose is bound as
//!   associated data, so a value cannot be moved to another field;
//! - **mac** — HMAC-SHA256 of the 查询码 and of the audit log's chain, written as
//!   `h1:k<N>:<hex>`;
//! - **index** — a blind index (HMAC-SHA256 under the current key's index key) of a
//!   normalised ID number, so a clerk can find a case by the full number without decrypting.
//!
//! Rotation (`gongkai key rotate`) adds a new current key and re-seals the personal data under
//! it; older keys stay in the ring, because keyed hashes (query codes, the audit chain) cannot
//! be recomputed without what they hash.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::path::{Path, PathBuf};

/// The key file in a data directory.
pub const KEY_FILE: &str = "secret.key";
/// The environment variable that, when set, holds the keyring instead of the file.
pub const KEY_ENV: &str = "GONGKAI_SECRET_KEY";

const SEALED_PREFIX: &str = "enc:a1:";
const MAC_PREFIX: &str = "h1:";

/// What a derived key is for: its name is the HKDF `info`, and the AEAD's associated data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Personal data of applicants (ID number, phone, e-mail, address).
    Applicant,
    /// The 查询码 digest.
    QueryCode,
    /// The blind index of ID numbers.
    IdIndex,
    /// The audit log's hash chain.
    AuditChain,
    /// Fingerprints of submitted forms (idempotency).
    Fingerprint,
    /// The check value that ties a database to its keys.
    KeyCheck,
    /// Staff's TOTP secrets (docs/security.md#second-factor).
    SecondFactor,
}

impl Purpose {
    fn info(self) -> &'static [u8] {
        match self {
            Purpose::Applicant => b"gongkai/v1/seal/applicant",
            Purpose::QueryCode => b"gongkai/v1/mac/query-code",
            Purpose::IdIndex => b"gongkai/v1/mac/id-index",
            Purpose::AuditChain => b"gongkai/v1/mac/audit-chain",
            Purpose::Fingerprint => b"gongkai/v1/mac/fingerprint",
            Purpose::KeyCheck => b"gongkai/v1/mac/key-check",
            Purpose::SecondFactor => b"gongkai/v1/seal/second-factor",
        }
    }
}

/// Why a keyring could not be read, or a sealed value not opened.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeyError {
    #[error("{source_name}, line {line}: {reason}")]
    Malformed {
        source_name: String,
        line: usize,
        reason: String,
    },
    #[error("{0} holds no key")]
    Empty(String),
    #[error("key k{0} is not in the keyring (restore the key file it was written with)")]
    Missing(u32),
    #[error("a sealed value is damaged or was sealed with another key")]
    Damaged,
    #[error("no random numbers available: {0}")]
    Random(String),
}

struct MasterKey {
    id: u32,
    bytes: [u8; 32],
}

impl Drop for MasterKey {
    fn drop(&mut self) {
        // Do not leave key bytes in freed memory (DB-RI-1).
        zeroize::Zeroize::zeroize(&mut self.bytes);
    }
}

/// The master keys of one installation; the last one is current.
pub struct Keyring {
    keys: Vec<MasterKey>,
    /// Where the keys came from (a path, or the environment variable's name).
    pub origin: KeyOrigin,
}

/// Where a keyring was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyOrigin {
    File(PathBuf),
    Environment,
    /// A keyring made in memory (tests, `App::with_db`).
    Memory,
}

impl std::fmt::Display for KeyOrigin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeyOrigin::File(p) => write!(f, "{}", p.display()),
            KeyOrigin::Environment => f.write_str(KEY_ENV),
            KeyOrigin::Memory => f.write_str("memory"),
        }
    }
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print key bytes.
        f.debug_struct("Keyring")
            .field("keys", &self.ids())
            .field("origin", &self.origin)
            .finish()
    }
}

fn random<const N: usize>() -> Result<[u8; N], KeyError> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|e| KeyError::Random(e.to_string()))?;
    Ok(b)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || !s.is_ascii() {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
        .collect()
}

fn base64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD_NO_PAD.encode(bytes)
}

fn unbase64(s: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(s)
        .ok()
}

impl Keyring {
    /// A keyring of one fresh key (`k1`).
    pub fn generate(origin: KeyOrigin) -> Result<Keyring, KeyError> {
        Ok(Keyring {
            keys: vec![MasterKey {
                id: 1,
                bytes: random()?,
            }],
            origin,
        })
    }

    /// Parses the key file's text: one key a line, `k<N> <64 hex digits>`, `#` comments.
    pub fn parse(text: &str, origin: KeyOrigin) -> Result<Keyring, KeyError> {
        let source_name = origin.to_string();
        let mut keys: Vec<MasterKey> = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = |reason: &str| KeyError::Malformed {
                source_name: source_name.clone(),
                line: i + 1,
                reason: reason.to_string(),
            };
            let mut parts = line.split_whitespace();
            let (Some(name), Some(value), None) = (parts.next(), parts.next(), parts.next()) else {
                return Err(bad("expected `k<N> <64 hex digits>`"));
            };
            let id = name
                .strip_prefix('k')
                .and_then(|n| n.parse::<u32>().ok())
                .filter(|n| *n > 0)
                .ok_or_else(|| bad("the key's name must be k1, k2, …"))?;
            let bytes: [u8; 32] = unhex(value)
                .and_then(|v| v.try_into().ok())
                .ok_or_else(|| bad("the key must be 64 hexadecimal digits (256 bits)"))?;
            if keys.iter().any(|k| k.id == id) {
                return Err(bad("the same key number twice"));
            }
            if keys.last().is_some_and(|k| k.id > id) {
                return Err(bad("keys must be listed oldest first"));
            }
            keys.push(MasterKey { id, bytes });
        }
        if keys.is_empty() {
            return Err(KeyError::Empty(source_name));
        }
        Ok(Keyring { keys, origin })
    }

    /// The key file's text.
    pub fn to_text(&self) -> String {
        let mut s = String::from(
            "# gongkai secret keys (docs/personal-data.md): keep this file, and a copy apart from\n\
             # the database's backups; without it the personal data in the database cannot be read.\n",
        );
        for k in &self.keys {
            s.push_str(&format!("k{} {}\n", k.id, hex(&k.bytes)));
        }
        s
    }

    /// The key numbers, oldest first.
    pub fn ids(&self) -> Vec<u32> {
        self.keys.iter().map(|k| k.id).collect()
    }

    /// The current key's number.
    pub fn current_id(&self) -> u32 {
        self.current().id
    }

    fn current(&self) -> &MasterKey {
        // parse/generate never make an empty ring
        &self.keys[self.keys.len() - 1]
    }

    fn key(&self, id: u32) -> Result<&MasterKey, KeyError> {
        self.keys
            .iter()
            .find(|k| k.id == id)
            .ok_or(KeyError::Missing(id))
    }

    /// Adds a fresh key and makes it current; returns its number.
    pub fn rotate(&mut self) -> Result<u32, KeyError> {
        let id = self.current().id + 1;
        self.keys.push(MasterKey {
            id,
            bytes: random()?,
        });
        Ok(id)
    }

    fn derive(key: &MasterKey, purpose: Purpose) -> [u8; 32] {
        let hk = Hkdf::<Sha256>::new(Some(b"gongkai"), &key.bytes);
        let mut out = [0u8; 32];
        // 32 bytes is always a valid HKDF-SHA256 output length.
        let _ = hk.expand(purpose.info(), &mut out);
        out
    }

    fn hmac_with(key: &MasterKey, purpose: Purpose, parts: &[&[u8]]) -> Vec<u8> {
        let k = Keyring::derive(key, purpose);
        let mut m = <Hmac<Sha256> as hmac::KeyInit>::new_from_slice(&k)
            .expect("HMAC takes a key of any length");
        for p in parts {
            // Length-prefixed, so ("ab","c") and ("a","bc") differ.
            m.update(&(p.len() as u64).to_be_bytes());
            m.update(p);
        }
        m.finalize().into_bytes().to_vec()
    }

    /// A keyed hash under the current key: `h1:k<N>:<hex>`.
    pub fn mac(&self, purpose: Purpose, parts: &[&[u8]]) -> String {
        let k = self.current();
        format!(
            "{MAC_PREFIX}k{}:{}",
            k.id,
            hex(&Keyring::hmac_with(k, purpose, parts))
        )
    }

    /// Checks a keyed hash written by [`Keyring::mac`] (under any key of the ring), in
    /// constant time. `Ok(false)` for a different value; `Err` when its key is not in the ring.
    pub fn verify_mac(
        &self,
        purpose: Purpose,
        parts: &[&[u8]],
        stored: &str,
    ) -> Result<bool, KeyError> {
        let Some((id, tag)) = parse_tagged(stored, MAC_PREFIX) else {
            return Ok(false);
        };
        let key = self.key(id)?;
        let Some(tag) = unhex(tag) else {
            return Ok(false);
        };
        let mut m = <Hmac<Sha256> as hmac::KeyInit>::new_from_slice(&Keyring::derive(key, purpose))
            .expect("HMAC takes a key of any length");
        for p in parts {
            m.update(&(p.len() as u64).to_be_bytes());
            m.update(p);
        }
        Ok(m.verify_slice(&tag).is_ok())
    }

    /// True when `value` is a keyed hash (as opposed to an older unkeyed digest).
    pub fn is_mac(value: &str) -> bool {
        value.starts_with(MAC_PREFIX)
    }

    /// The key a keyed hash or sealed value was written with.
    pub fn key_of(value: &str) -> Option<u32> {
        parse_tagged(value, MAC_PREFIX)
            .or_else(|| parse_tagged(value, SEALED_PREFIX))
            .map(|(id, _)| id)
    }

    /// Encrypts `plain` for `purpose` under the current key.
    pub fn seal(&self, purpose: Purpose, plain: &str) -> Result<String, KeyError> {
        let k = self.current();
        let cipher = Aes256Gcm::new_from_slice(&Keyring::derive(k, purpose))
            .expect("AES-256 takes a 32-byte key");
        let nonce: [u8; 12] = random()?;
        let ct = cipher
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: plain.as_bytes(),
                    aad: purpose.info(),
                },
            )
            .map_err(|_| KeyError::Damaged)?;
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&ct);
        Ok(format!("{SEALED_PREFIX}k{}:{}", k.id, base64(&bytes)))
    }

    /// True when `value` was written by [`Keyring::seal`].
    pub fn is_sealed(value: &str) -> bool {
        value.starts_with(SEALED_PREFIX)
    }

    /// Decrypts a value written by [`Keyring::seal`]; a value that is not sealed (written
    /// before encryption was turned on) is returned as it is.
    pub fn open(&self, purpose: Purpose, value: &str) -> Result<String, KeyError> {
        let Some((id, body)) = parse_tagged(value, SEALED_PREFIX) else {
            return Ok(value.to_string());
        };
        let key = self.key(id)?;
        let bytes = unbase64(body).ok_or(KeyError::Damaged)?;
        if bytes.len() < 12 + 16 {
            return Err(KeyError::Damaged);
        }
        let (nonce, ct) = bytes.split_at(12);
        let nonce: [u8; 12] = nonce.try_into().map_err(|_| KeyError::Damaged)?;
        let cipher = Aes256Gcm::new_from_slice(&Keyring::derive(key, purpose))
            .expect("AES-256 takes a 32-byte key");
        let plain = cipher
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: ct,
                    aad: purpose.info(),
                },
            )
            .map_err(|_| KeyError::Damaged)?;
        String::from_utf8(plain).map_err(|_| KeyError::Damaged)
    }

    /// The check value of key `id`, stored in the database so that a data directory opened
    /// with the wrong key file is refused rather than writing data nobody can read.
    pub fn check_value(&self, id: u32) -> Result<String, KeyError> {
        let key = self.key(id)?;
        Ok(hex(&Keyring::hmac_with(
            key,
            Purpose::KeyCheck,
            &[b"check"],
        )))
    }

    /// Reads the keyring of a data directory: the environment variable when set, else the key
    /// file. `Ok(None)` when neither exists.
    pub fn load(dir: &Path) -> Result<Option<Keyring>, KeyError> {
        if let Ok(text) = std::env::var(KEY_ENV)
            && !text.trim().is_empty()
        {
            return Keyring::parse(&text, KeyOrigin::Environment).map(Some);
        }
        let path = dir.join(KEY_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => Keyring::parse(&text, KeyOrigin::File(path)).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(KeyError::Malformed {
                source_name: path.display().to_string(),
                line: 0,
                reason: e.to_string(),
            }),
        }
    }

    /// Writes the key file (mode 0600) atomically: a temporary file, synced, renamed over.
    pub fn save(&self, dir: &Path) -> std::io::Result<PathBuf> {
        let path = dir.join(KEY_FILE);
        let tmp = dir.join(format!("{KEY_FILE}.new"));
        let _ = std::fs::remove_file(&tmp);
        crate::data_dir::write_private(&tmp, self.to_text().as_bytes())?;
        std::fs::rename(&tmp, &path)?;
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(path)
    }
}

/// `<prefix>k<N>:<rest>` → (N, rest).
fn parse_tagged<'a>(value: &'a str, prefix: &str) -> Option<(u32, &'a str)> {
    let rest = value.strip_prefix(prefix)?.strip_prefix('k')?;
    let (id, body) = rest.split_once(':')?;
    Some((id.parse().ok()?, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring() -> Keyring {
        Keyring::generate(KeyOrigin::Memory).expect("random")
    }

    #[test]
    fn db_dc_2_seal_and_open_round_trip_and_bind_the_purpose() {
        let r = ring();
        let s = r
            .seal(Purpose::Applicant, "11010519491231002X")
            .expect("seal");
        assert!(Keyring::is_sealed(&s));
        assert!(!s.contains("11010519491231002X"));
        assert_eq!(
            r.open(Purpose::Applicant, &s).expect("open"),
            "11010519491231002X"
        );
        // Two seals of one value differ (random nonce).
        assert_ne!(
            s,
            r.seal(Purpose::Applicant, "11010519491231002X")
                .expect("seal")
        );
        // Another purpose, another key, or a flipped character: refused, never garbage.
        assert_eq!(r.open(Purpose::QueryCode, &s), Err(KeyError::Damaged));
        assert_eq!(ring().open(Purpose::Applicant, &s), Err(KeyError::Damaged));
        let mut damaged = s.clone().into_bytes();
        let i = damaged.len() - 3;
        damaged[i] = if damaged[i] == b'A' { b'B' } else { b'A' };
        let damaged = String::from_utf8(damaged).expect("ascii");
        assert_eq!(r.open(Purpose::Applicant, &damaged), Err(KeyError::Damaged));
        // Plain text written before encryption reads as it is.
        assert_eq!(
            r.open(Purpose::Applicant, "13800000000").expect("plain"),
            "13800000000"
        );
    }

    #[test]
    fn mp_7_keyed_hashes_verify_across_rotation() {
        let mut r = ring();
        let old = r.mac(Purpose::QueryCode, &[b"2021-000001", b"ABCD"]);
        let sealed = r.seal(Purpose::Applicant, "x").expect("seal");
        assert_eq!(r.rotate().expect("rotate"), 2);
        let new = r.mac(Purpose::QueryCode, &[b"2021-000001", b"ABCD"]);
        assert_ne!(old, new);
        assert!(new.starts_with("h1:k2:"));
        for stored in [&old, &new] {
            assert_eq!(
                r.verify_mac(Purpose::QueryCode, &[b"2021-000001", b"ABCD"], stored),
                Ok(true)
            );
            assert_eq!(
                r.verify_mac(Purpose::QueryCode, &[b"2021-00000", b"1ABCD"], stored),
                Ok(false)
            );
        }
        assert_eq!(r.open(Purpose::Applicant, &sealed).expect("old key"), "x");
        // The file round-trips, oldest first.
        let text = r.to_text();
        let back = Keyring::parse(&text, KeyOrigin::Memory).expect("parse");
        assert_eq!(back.ids(), vec![1, 2]);
        assert_eq!(back.open(Purpose::Applicant, &sealed).expect("reread"), "x");
        // A ring without k1 names the missing key.
        let only2: String = text
            .lines()
            .filter(|l| !l.starts_with("k1 "))
            .collect::<Vec<_>>()
            .join("\n");
        let r2 = Keyring::parse(&only2, KeyOrigin::Memory).expect("parse");
        assert_eq!(
            r2.open(Purpose::Applicant, &sealed),
            Err(KeyError::Missing(1))
        );
    }

    #[test]
    fn malformed_key_files_name_the_line() {
        for (text, reason) in [
            ("k1 abc", "64 hexadecimal"),
            ("key1 00", "k1, k2"),
            ("k1", "expected"),
            ("# nothing", "holds no key"),
        ] {
            let e = Keyring::parse(text, KeyOrigin::Memory).expect_err(text);
            assert!(e.to_string().contains(reason), "{text}: {e}");
        }
        let k = "00".repeat(32);
        let e = Keyring::parse(&format!("k2 {k}\nk1 {k}"), KeyOrigin::Memory).expect_err("order");
        assert!(e.to_string().contains("line 2"), "{e}");
    }
}
