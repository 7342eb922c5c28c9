//! The jobs page (`/jobs`): what the background job runner
//! (`platform::jobs`) did, for the supplier admin: each kind's schedule, last
//! run, duration, outcome, failures and waiting items.

pub mod api;
pub mod pages;

pub use api::*;
