//! The catalogue import as a job of the platform's runner (`catalog.import`):
//! the uploaded files read from the content store, checked by
//! [`super::import::check`] against the catalogue, then written in the job's
//! one transaction, so an import is all or nothing and is done once.
//!
//! Progress: the transaction makes nothing visible before it commits, and on
//! SQLite it holds the one write lock, so the running import's progress (phase
//! and rows) is kept in this process's memory under the import's
//! `progress_key`; the page shows it when it asks the node doing the work,
//! and "queued" otherwise until the outcome is committed.

use super::import::{check, Catalogue, Files, Known, RowError};
use crate::error::AppError;
use crate::platform::db::{Db, Tx};
use crate::platform::jobs::{handler, Handler};
use crate::platform::{files, now, Config};
use sqlx::QueryBuilder;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

pub const KIND: &str = "catalog.import";

/// Rows per INSERT (5 values each, well under both databases' parameter limits).
const BATCH: usize = 2_000;

/// The progress of an import running in this process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub phase: &'static str,
    pub done: usize,
    pub total: usize,
}

fn registry() -> &'static Mutex<HashMap<String, Progress>> {
    static PROGRESS: OnceLock<Mutex<HashMap<String, Progress>>> = OnceLock::new();
    PROGRESS.get_or_init(Default::default)
}

fn report(key: &str, phase: &'static str, done: usize, total: usize) {
    if let Ok(mut map) = registry().lock() {
        map.insert(key.to_string(), Progress { phase, done, total });
    }
}

/// The progress of a running import, if this process is doing it.
pub fn progress(key: &str) -> Option<Progress> {
    registry().lock().ok()?.get(key).cloned()
}

fn forget(key: &str) {
    if let Ok(mut map) = registry().lock() {
        map.remove(key);
    }
}

pub fn import_handler(config: Arc<Config>) -> Handler {
    handler(move |tx, item| {
        let config = config.clone();
        Box::pin(async move {
            let payload: serde_json::Value =
                serde_json::from_str(&item.payload).map_err(AppError::internal)?;
            let id = payload["import"]
                .as_i64()
                .ok_or_else(|| AppError::internal("catalog.import without an import id"))?;
            run(tx, &config, id).await
        })
    })
}

async fn run(tx: &mut Tx, config: &Config, id: i64) -> Result<String, AppError> {
    let Some((files_json, key, status)): Option<(String, String, String)> =
        sqlx::query_as("SELECT files, progress_key, status FROM catalog_imports WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?
    else {
        return Ok(format!("import {id} no longer exists"));
    };
    if status != "queued" {
        return Ok(format!("import {id} was already {status}"));
    }
    let result = work(tx, config, id, &files_json, &key).await;
    forget(&key);
    result
}

async fn work(
    tx: &mut Tx,
    config: &Config,
    id: i64,
    files_json: &str,
    key: &str,
) -> Result<String, AppError> {
    report(key, "Reading the files", 0, 0);
    let hashes: HashMap<String, String> =
        serde_json::from_str(files_json).map_err(AppError::internal)?;
    let mut contents: HashMap<String, Vec<u8>> = HashMap::new();
    for (kind, sha) in &hashes {
        let path =
            files::path_of(&config.data_dir, sha).ok_or_else(|| AppError::internal("bad hash"))?;
        let bytes = tokio::fs::read(&path)
            .await
            .map_err(|e| AppError::internal(format!("import file {}: {e}", path.display())))?;
        contents.insert(kind.clone(), bytes);
    }
    let get = |k: &str| contents.get(k).map(Vec::as_slice);
    let uploaded = Files {
        parts: get("parts"),
        bom: get("bom"),
        fits: get("fits"),
        supersessions: get("supersessions"),
    };
    let known = known(tx).await?;
    let started = std::time::Instant::now();
    let checked = check(&uploaded, &known, |n| report(key, "Checking rows", n, 0));
    let catalogue = match checked {
        Ok(c) => c,
        Err(errors) => return refuse(tx, id, &errors).await,
    };
    let summary = write(tx, &catalogue, key).await?;
    let summary = format!("{summary} in {:.1} s", started.elapsed().as_secs_f64());
    sqlx::query(
        "UPDATE catalog_imports SET status = 'done', summary = $1, finished_at = $2 WHERE id = $3",
    )
    .bind(&summary)
    .bind(now())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(format!("import {id}: {summary}"))
}

/// Records a refused import with every faulty row (the first 1,000 kept).
async fn refuse(tx: &mut Tx, id: i64, errors: &[RowError]) -> Result<String, AppError> {
    let list: Vec<serde_json::Value> = errors
        .iter()
        .take(1_000)
        .map(|e| serde_json::json!({ "file": e.file.label(), "line": e.line, "reason": e.reason }))
        .collect();
    let summary = format!("Nothing imported: {} faulty rows.", errors.len());
    sqlx::query(
        "UPDATE catalog_imports SET status = 'refused', summary = $1, errors = $2, error_count = $3,
                finished_at = $4 WHERE id = $5",
    )
    .bind(&summary)
    .bind(serde_json::Value::Array(list).to_string())
    .bind(errors.len() as i64)
    .bind(now())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(format!("import {id}: {summary}"))
}

async fn known(tx: &mut Tx) -> Result<Known, sqlx::Error> {
    let parts: Vec<String> = sqlx::query_scalar("SELECT pn_key FROM parts")
        .fetch_all(&mut **tx)
        .await?;
    let models: Vec<String> = sqlx::query_scalar("SELECT code FROM equipment_models")
        .fetch_all(&mut **tx)
        .await?;
    let supersessions: Vec<(String, String)> = sqlx::query_as(
        "SELECT p.pn_key, s.pn_key FROM parts p JOIN parts s ON s.id = p.superseded_by",
    )
    .fetch_all(&mut **tx)
    .await?;
    Ok(Known {
        parts: parts.into_iter().collect(),
        models: models.into_iter().collect(),
        supersessions: supersessions.into_iter().collect(),
    })
}

/// Writes a checked catalogue: parts added or updated (by part-number key),
/// assemblies and BOM lines added or updated (callouts kept), fits added, and
/// supersessions set.
async fn write(tx: &mut Tx, c: &Catalogue, key: &str) -> Result<String, sqlx::Error> {
    let total = c.parts.len() + c.bom.len() + c.fits.len() + c.supersessions.len();
    let mut done = 0;
    for chunk in c.parts.chunks(BATCH) {
        let mut q: QueryBuilder<'_, Db> = QueryBuilder::new(
            "INSERT INTO parts (part_number, pn_key, description, list_price_cents, stock_qty, lead_time_days) ",
        );
        q.push_values(chunk, |mut b, p| {
            b.push_bind(&p.part_number)
                .push_bind(&p.key)
                .push_bind(&p.description)
                .push_bind(p.list_price_cents)
                .push_bind(p.stock_qty)
                .push_bind(p.lead_time_days);
        });
        q.push(
            " ON CONFLICT (pn_key) DO UPDATE SET part_number = excluded.part_number,
                description = excluded.description, list_price_cents = excluded.list_price_cents,
                stock_qty = excluded.stock_qty, lead_time_days = excluded.lead_time_days",
        );
        q.build().execute(&mut **tx).await?;
        done += chunk.len();
        report(key, "Writing parts", done, total);
    }
    let ids: HashMap<String, i64> =
        if c.bom.is_empty() && c.fits.is_empty() && c.supersessions.is_empty() {
            HashMap::new()
        } else {
            sqlx::query_as::<_, (String, i64)>("SELECT pn_key, id FROM parts")
                .fetch_all(&mut **tx)
                .await?
                .into_iter()
                .collect()
        };
    let models: HashMap<String, i64> =
        sqlx::query_as::<_, (String, i64)>("SELECT code, id FROM equipment_models")
            .fetch_all(&mut **tx)
            .await?
            .into_iter()
            .collect();
    // Assemblies first, then their lines.
    let mut assemblies: HashMap<(i64, String), i64> = HashMap::new();
    for b in &c.bom {
        let model = models[&b.model];
        if assemblies.contains_key(&(model, b.assembly.clone())) {
            continue;
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO assemblies (model_id, code, name, position)
             VALUES ($1, $2, $3, (SELECT COALESCE(MAX(position), -1) + 1 FROM assemblies WHERE model_id = $1))
             ON CONFLICT (model_id, code) DO UPDATE SET name = excluded.name RETURNING id",
        )
        .bind(model)
        .bind(&b.assembly)
        .bind(&b.assembly_name)
        .fetch_one(&mut **tx)
        .await?;
        assemblies.insert((model, b.assembly.clone()), id);
    }
    let mut fits: Vec<(i64, i64)> = Vec::new();
    for chunk in c.bom.chunks(BATCH) {
        let mut q: QueryBuilder<'_, Db> =
            QueryBuilder::new("INSERT INTO bom_lines (assembly_id, item_no, part_id, quantity) ");
        q.push_values(chunk, |mut b, l| {
            let model = models[&l.model];
            b.push_bind(assemblies[&(model, l.assembly.clone())])
                .push_bind(l.item)
                .push_bind(ids[&l.part_key])
                .push_bind(l.quantity);
        });
        q.push(" ON CONFLICT (assembly_id, item_no) DO UPDATE SET part_id = excluded.part_id, quantity = excluded.quantity");
        q.build().execute(&mut **tx).await?;
        fits.extend(chunk.iter().map(|l| (ids[&l.part_key], models[&l.model])));
        done += chunk.len();
        report(key, "Writing BOM lines", done, total);
    }
    fits.extend(c.fits.iter().map(|(k, m)| (ids[k], models[m])));
    fits.sort_unstable();
    fits.dedup();
    for chunk in fits.chunks(BATCH) {
        let mut q: QueryBuilder<'_, Db> =
            QueryBuilder::new("INSERT INTO part_fits (part_id, model_id) ");
        q.push_values(chunk, |mut b, (p, m)| {
            b.push_bind(*p).push_bind(*m);
        });
        q.push(" ON CONFLICT (part_id, model_id) DO NOTHING");
        q.build().execute(&mut **tx).await?;
    }
    done += c.fits.len();
    report(key, "Writing fits", done, total);
    for (old, new) in &c.supersessions {
        sqlx::query("UPDATE parts SET superseded_by = $1 WHERE id = $2")
            .bind(ids[new])
            .bind(ids[old])
            .execute(&mut **tx)
            .await?;
        done += 1;
        if done % 1_000 == 0 {
            report(key, "Writing supersessions", done, total);
        }
    }
    Ok(format!(
        "{} parts, {} BOM lines, {} fits and {} supersessions written",
        c.parts.len(),
        c.bom.len(),
        c.fits.len(),
        c.supersessions.len()
    ))
}
