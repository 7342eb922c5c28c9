//! Notices: in-app messages to a user. A domain's rules write a message to the
//! outbox in the transaction of what caused it (`outbox::write`); the job
//! runner delivers it to the user's notices (`outbox::deliver`), so that
//! another channel (e-mail) can be added as a second delivery without touching
//! the rules. Rooms: `api` (types and server functions), `pages` (the notices
//! page and the header's bell), `outbox` (server-only).

pub mod api;
#[cfg(feature = "ssr")]
pub mod outbox;
pub mod pages;

pub use api::*;
pub use pages::{NoticeBell, NoticesPage};
