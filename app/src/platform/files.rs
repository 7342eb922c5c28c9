//! Files stored by content: `<data dir>/files/<first two hex digits>/<SHA-256>`.
//! The same content is stored once; a file is written to a temporary name and
//! renamed into place, so a reader never sees half a file. Paths are made from
//! a hash only, never from anything a user sent.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The SHA-256 of some bytes, in lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// Whether a text is a SHA-256 in lower-case hex (and so a safe file name).
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Where the file of a hash lives under the data directory.
pub fn path_of(data_dir: &Path, sha: &str) -> Option<PathBuf> {
    is_sha256_hex(sha).then(|| data_dir.join("files").join(&sha[..2]).join(sha))
}

/// Stores `bytes` and returns their hash; storing the same content again only
/// returns the hash.
pub async fn put(data_dir: &Path, bytes: &[u8]) -> std::io::Result<String> {
    let sha = sha256_hex(bytes);
    let path = path_of(data_dir, &sha).ok_or_else(|| std::io::Error::other("bad hash"))?;
    if tokio::fs::try_exists(&path).await.unwrap_or(false) {
        return Ok(sha);
    }
    let dir = path
        .parent()
        .ok_or_else(|| std::io::Error::other("no parent"))?;
    tokio::fs::create_dir_all(dir).await?;
    let mut nonce = [0u8; 8];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut nonce);
    let tmp = dir.join(format!(
        ".{sha}.{}.tmp",
        sha256_hex(&nonce)[..12].to_owned()
    ));
    tokio::fs::write(&tmp, bytes).await?;
    if let Err(e) = tokio::fs::rename(&tmp, &path).await {
        let _ = tokio::fs::remove_file(&tmp).await;
        return Err(e);
    }
    Ok(sha)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn same_content_is_stored_once_under_its_hash() {
        let dir = std::env::temp_dir().join(format!("careport-files-{}", std::process::id()));
        let a = put(&dir, b"%PDF-1.4 manual").await.unwrap();
        let b = put(&dir, b"%PDF-1.4 manual").await.unwrap();
        assert_eq!(a, b);
        assert_eq!(a, sha256_hex(b"%PDF-1.4 manual"));
        let path = path_of(&dir, &a).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"%PDF-1.4 manual");
        assert_eq!(
            std::fs::read_dir(path.parent().unwrap()).unwrap().count(),
            1,
            "no temporary left"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn only_a_hash_makes_a_path() {
        let root = Path::new("/data");
        assert!(path_of(root, "../../etc/passwd").is_none());
        assert!(
            path_of(root, &"A".repeat(64)).is_none(),
            "upper case is not ours"
        );
        let sha = sha256_hex(b"x");
        assert_eq!(
            path_of(root, &sha).unwrap(),
            root.join("files").join(&sha[..2]).join(&sha)
        );
    }
}
