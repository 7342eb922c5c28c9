//! Argon2id password hashing with the OWASP parameters (19 MiB, t=2, p=1), with
//! bounded cost:
//! - at most one hash per core runs at a time (a semaphore); callers beyond a
//!   short queue are answered at once with "busy, retry shortly" (503 and
//!   `Retry-After`) instead of piling up threads and memory;
//! - every hash works in one of a fixed set of 19 MiB memory block sets, allocated
//!   once and reused, so the process's memory stays flat however many people
//!   sign in (fresh 19 MiB allocations on many blocking threads were kept by the
//!   allocator: about 13 MB more per sign-in);
//! - it runs on the blocking pool, never on the async executor.

use crate::error::AppError;
use argon2::password_hash::{rand_core::OsRng, Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use tokio::sync::Semaphore;

/// How many callers may wait for a hashing slot beyond the ones hashing.
const QUEUE_PER_SLOT: usize = 4;
/// What a caller turned away is told to wait.
const BUSY_RETRY_SECS: i64 = 2;

fn params() -> Params {
    Params::new(19 * 1024, 2, 1, Some(32)).expect("valid argon2 parameters")
}

fn argon2_with(params: Params) -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The concurrency bound and the reusable memory: one slot per core.
struct Slots {
    permits: Semaphore,
    size: usize,
    waiting: AtomicUsize,
    memory: Mutex<Vec<Vec<Block>>>,
}

fn slots() -> &'static Slots {
    static SLOTS: OnceLock<Slots> = OnceLock::new();
    SLOTS.get_or_init(|| {
        let size = std::thread::available_parallelism().map_or(1, |n| n.get());
        Slots {
            permits: Semaphore::new(size),
            size,
            waiting: AtomicUsize::new(0),
            memory: Mutex::new(Vec::new()),
        }
    })
}

/// Number of password verifications performed by this process (for tests and metrics).
pub static VERIFICATIONS: AtomicU64 = AtomicU64::new(0);

/// Runs `work` with a hashing slot and a memory block set, on the blocking pool.
async fn with_slot<T: Send + 'static>(
    work: impl FnOnce(&mut [Block]) -> T + Send + 'static,
) -> Result<T, AppError> {
    let s = slots();
    if s.waiting.fetch_add(1, Ordering::SeqCst) >= s.size * (1 + QUEUE_PER_SLOT) {
        s.waiting.fetch_sub(1, Ordering::SeqCst);
        tracing::warn!("password hashing is saturated; asking the caller to retry");
        return Err(AppError::Busy {
            retry_after_secs: BUSY_RETRY_SECS,
        });
    }
    let permit = s.permits.acquire().await;
    s.waiting.fetch_sub(1, Ordering::SeqCst);
    let _permit = permit.map_err(AppError::internal)?;
    let blocks = s
        .memory
        .lock()
        .map_err(AppError::internal)?
        .pop()
        .unwrap_or_else(|| vec![Block::default(); params().block_count()]);
    let (out, blocks) = tokio::task::spawn_blocking(move || {
        let mut blocks = blocks;
        let out = work(&mut blocks);
        (out, blocks)
    })
    .await
    .map_err(AppError::internal)?;
    // At most one set per permit ever exists: a set goes back before the permit does.
    s.memory.lock().map_err(AppError::internal)?.push(blocks);
    Ok(out)
}

fn hash_into(password: &str, salt: &SaltString, memory: &mut [Block]) -> Result<String, AppError> {
    let params = params();
    let mut salt_bytes = [0u8; 64];
    let salt_raw = salt
        .as_salt()
        .decode_b64(&mut salt_bytes)
        .map_err(AppError::internal)?;
    let mut out = [0u8; 32];
    argon2_with(params.clone())
        .hash_password_into_with_memory(password.as_bytes(), salt_raw, &mut out, memory)
        .map_err(AppError::internal)?;
    let phc = PasswordHash {
        algorithm: argon2::ARGON2ID_IDENT,
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(AppError::internal)?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(AppError::internal)?),
    };
    Ok(phc.to_string())
}

/// Whether `password` matches a stored PHC string, computed in `memory`.
fn verify_into(password: &str, stored: &str, memory: &mut [Block]) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    let (Some(salt), Some(expected), Ok(params)) =
        (parsed.salt, parsed.hash, Params::try_from(&parsed))
    else {
        return false;
    };
    // Hashes made with other parameters (never, today) get memory of their own.
    if params.block_count() > memory.len() {
        let mut own = vec![Block::default(); params.block_count()];
        return verify_with(password, salt, expected, params, &mut own);
    }
    let count = params.block_count();
    verify_with(password, salt, expected, params, &mut memory[..count])
}

fn verify_with(
    password: &str,
    salt: argon2::password_hash::Salt<'_>,
    expected: Output,
    params: Params,
    memory: &mut [Block],
) -> bool {
    let mut salt_bytes = [0u8; 64];
    let Ok(salt_raw) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let mut out = vec![0u8; expected.len()];
    if argon2_with(params)
        .hash_password_into_with_memory(password.as_bytes(), salt_raw, &mut out, memory)
        .is_err()
    {
        return false;
    }
    // `Output` compares in constant time.
    Output::new(&out).is_ok_and(|o| o == expected)
}

/// Hashes a new password.
pub async fn hash(password: String) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    with_slot(move |memory| hash_into(&password, &salt, memory)).await?
}

/// Verifies a password. With no stored hash (unknown account) it verifies against a
/// dummy hash, so the answer takes as long as for a real account.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, AppError> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    VERIFICATIONS.fetch_add(1, Ordering::SeqCst);
    with_slot(move |memory| {
        let known = stored.is_some();
        let hash = stored.unwrap_or_else(|| {
            DUMMY
                .get_or_init(|| {
                    let salt = SaltString::generate(&mut OsRng);
                    let mut own = vec![Block::default(); params().block_count()];
                    hash_into("careport-dummy-password", &salt, &mut own).unwrap_or_default()
                })
                .clone()
        });
        verify_into(&password, &hash, memory) && known
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::PasswordVerifier;

    #[tokio::test]
    async fn hashes_with_owasp_argon2id_and_verifies() {
        let h = hash("correct horse".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify("correct horse".into(), Some(h.clone()))
            .await
            .unwrap());
        assert!(!verify("wrong horse".into(), Some(h.clone())).await.unwrap());
        assert!(!verify("careport-dummy-password".into(), None)
            .await
            .unwrap());
        // The stored form is standard PHC: the reference implementation agrees.
        let parsed = PasswordHash::new(&h).unwrap();
        assert!(Argon2::default()
            .verify_password(b"correct horse", &parsed)
            .is_ok());
    }

    #[tokio::test]
    async fn verifies_hashes_made_by_the_reference_implementation() {
        use argon2::PasswordHasher;
        let salt = SaltString::generate(&mut OsRng);
        let h = argon2_with(Params::new(19 * 1024, 2, 1, None).unwrap())
            .hash_password(b"harbour crane", &salt)
            .unwrap()
            .to_string();
        assert!(verify("harbour crane".into(), Some(h.clone()))
            .await
            .unwrap());
        assert!(!verify("harbour cran".into(), Some(h)).await.unwrap());
        assert!(!verify("x".into(), Some("not a hash".into())).await.unwrap());
    }

    #[tokio::test]
    async fn memory_sets_never_outnumber_the_slots() {
        let waits: Vec<_> = (0..6)
            .map(|i| tokio::spawn(hash(format!("password number {i}"))))
            .collect();
        for w in waits {
            w.await.unwrap().unwrap();
        }
        let s = slots();
        assert!(s.memory.lock().unwrap().len() <= s.size);
    }
}
