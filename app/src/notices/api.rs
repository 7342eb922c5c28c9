//! Notice types and the server functions of the signed-in user's own notices.

use crate::error::AppError;
use app_macros::access;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One notice, as its user sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct NoticeView {
    pub id: i64,
    pub kind: String,
    pub subject: String,
    pub body: String,
    pub link: String,
    pub created_at: i64,
    pub read_at: Option<i64>,
}

/// The caller's latest notices and how many are unread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeList {
    pub notices: Vec<NoticeView>,
    pub unread: i64,
}

/// Notices shown on the page (the latest).
pub const SHOWN: i64 = 100;

/// The caller's latest notices, newest first.
#[access(SignedIn)]
#[server(prefix = "/api", endpoint = "notices/list")]
pub async fn list_notices() -> Result<NoticeList, AppError> {
    let st = crate::platform::state()?;
    let me = session.user.id;
    let notices = sqlx::query_as::<_, NoticeView>(
        "SELECT id, kind, subject, body, link, created_at, read_at FROM notices
         WHERE user_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(me)
    .bind(SHOWN)
    .fetch_all(&st.pool)
    .await?;
    Ok(NoticeList {
        notices,
        unread: unread_count(&st.pool, me).await?,
    })
}

#[cfg(feature = "ssr")]
async fn unread_count(pool: &crate::platform::db::Pool, user_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM notices WHERE user_id = $1 AND read_at IS NULL")
        .bind(user_id)
        .fetch_one(pool)
        .await
}

/// How many of the caller's notices are unread (the header's bell).
#[access(SignedIn)]
#[server(prefix = "/api", endpoint = "notices/unread")]
pub async fn unread_notices() -> Result<i64, AppError> {
    let st = crate::platform::state()?;
    Ok(unread_count(&st.pool, session.user.id).await?)
}

/// Marks one of the caller's notices read (`id`), or all of them (no `id`).
/// Another user's notice is not found. Marking again changes nothing.
#[access(SignedIn)]
#[server(prefix = "/api", endpoint = "notices/read")]
pub async fn mark_notices_read(#[server(default)] id: String) -> Result<(), AppError> {
    let st = crate::platform::state()?;
    let me = session.user.id;
    let at = crate::platform::now();
    let mut tx = crate::platform::db::begin_write(&st.pool).await?;
    if id.trim().is_empty() {
        sqlx::query("UPDATE notices SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
            .bind(at)
            .bind(me)
            .execute(&mut *tx)
            .await?;
    } else {
        let id: i64 = id
            .trim()
            .parse()
            .map_err(|_| AppError::NotFound("The notice".into()))?;
        let found = sqlx::query(
            "UPDATE notices SET read_at = COALESCE(read_at, $1) WHERE id = $2 AND user_id = $3",
        )
        .bind(at)
        .bind(id)
        .bind(me)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if found == 0 {
            return Err(AppError::NotFound("The notice".into()));
        }
    }
    tx.commit().await?;
    leptos_axum::redirect("/notices");
    Ok(())
}
