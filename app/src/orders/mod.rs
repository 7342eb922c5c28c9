//! Orders: the cart (a server-side draft order), checkout with an idempotent
//! submit, the order history, status changes and the CSV export.
//!
//! Rooms: `api` (shared types and server functions), `pages` (server-rendered
//! pages and the checkout island), `queries` (SQL, server-only), `submit` (the
//! transactions: adding to the cart, submit, status change, reorder;
//! server-only), `rules` (pure rules with unit tests), `export` (the CSV
//! route, server-only), `hooks` (what later domains do when an order moves:
//! learning grants course seats).

pub mod api;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod hooks;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod queries;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod submit;

/// Where the CSV export of the orders is served.
pub const EXPORT_PATH: &str = "/orders/export.csv";

pub use api::*;
pub use pages::{AddToCartForm, CartPage, OrderPage, OrdersPage};
