//! The integration suite as one test binary: every module shares one build and
//! one link (one binary per test file had filled CI's disk with ~640 MB each).
//! `signin_load.rs` stays its own binary: it reads process-wide figures.

#[path = "../common/mod.rs"]
mod common;

mod access;
mod audit;
mod auth;
mod catalog;
mod catalog_import;
mod course_editor;
mod documents;
mod first_start;
mod flash;
mod guard_inprocess;
mod http;
mod jobs;
mod learning;
mod learning_rules;
mod nodes;
mod notices;
mod orders;
mod orders_rules;
mod seats;
mod sessions;
mod two_step;
mod user_creation;
