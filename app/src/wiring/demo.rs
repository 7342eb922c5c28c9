//! The demo dataset, assembled from each domain's part in dependency order
//! (organisations before the accounts that belong to them). Loaded only when
//! demo data is on, and only into an empty database.

use crate::error::AppError;
use crate::platform::db::Pool;
use std::path::Path;

pub use crate::platform::setup::DEMO_PASSWORD;

/// Loads the demo dataset when the database has no organisations yet.
/// Returns whether anything was loaded.
/// Files (the demo documents) go under `data_dir`.
pub async fn load_if_empty(pool: &Pool, data_dir: &Path) -> Result<bool, AppError> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM organisations")
        .fetch_one(pool)
        .await?;
    if count > 0 {
        return load_new_modules(pool, data_dir).await;
    }
    // Hashed once, before the transaction, so the write lock is held briefly.
    let password_hash = crate::accounts::passwords::hash(DEMO_PASSWORD.to_string()).await?;
    let files = crate::documents::demo::files(data_dir).await?;
    let mut tx = pool.begin().await?;
    crate::organisations::demo::load(&mut tx).await?;
    crate::accounts::demo::load(&mut tx, &password_hash).await?;
    crate::catalog::demo::load(&mut tx).await?;
    crate::orders::demo::load(&mut tx).await?;
    crate::documents::demo::load(&mut tx, &files).await?;
    crate::learning::demo::load(&mut tx, &password_hash).await?;
    crate::platform::setup::mark_demo(&mut tx).await?;
    tx.commit().await?;
    tracing::info!("demo dataset loaded");
    Ok(true)
}

/// A demo database made before a module landed gets that module's demo data
/// at the next start, so that `./scripts/run.sh` on an existing `./data` shows
/// every page filled. Only databases marked as demo databases are touched.
async fn load_new_modules(pool: &Pool, data_dir: &Path) -> Result<bool, AppError> {
    if !crate::platform::setup::is_demo(pool).await? {
        return Ok(false);
    }
    let count =
        |sql: &'static str| async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await };
    let models = count("SELECT COUNT(*) FROM equipment_models").await?;
    let orders = count("SELECT COUNT(*) FROM orders").await?;
    let drawings = count("SELECT COUNT(*) FROM assembly_drawings").await?;
    let documents = count("SELECT COUNT(*) FROM documents").await?;
    let courses = count("SELECT COUNT(*) FROM courses").await?;
    if models > 0 && orders > 0 && drawings > 0 && documents > 0 && courses > 0 {
        return Ok(false);
    }
    // The document files are written (before the transaction) only when needed.
    let files = if documents == 0 {
        crate::documents::demo::files(data_dir).await?
    } else {
        Vec::new()
    };
    let password_hash = if courses == 0 {
        crate::accounts::passwords::hash(DEMO_PASSWORD.to_string()).await?
    } else {
        String::new()
    };
    let mut tx = pool.begin().await?;
    if models == 0 {
        crate::catalog::demo::load(&mut tx).await?;
    } else if drawings == 0 {
        crate::catalog::demo::load_drawings(&mut tx).await?;
    }
    if orders == 0 {
        crate::orders::demo::load(&mut tx).await?;
    }
    if documents == 0 {
        crate::documents::demo::load(&mut tx, &files).await?;
    }
    if courses == 0 {
        crate::learning::demo::load(&mut tx, &password_hash).await?;
    }
    tx.commit().await?;
    tracing::info!("demo data of newer modules loaded into the existing demo database");
    Ok(true)
}
