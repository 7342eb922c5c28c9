//! Learning: the course catalogue, lessons (Markdown rendered safely on the
//! server), enrollment, per-lesson progress and completion with expiry, the
//! learner's transcript, and training administration (the matrix of staff ×
//! required courses, assignment, development plans and their proposals).
//!
//! Rooms: `api` (shared types and the learner's server functions), `pages`
//! (the catalogue, a course, a lesson, the transcript), `training_api` and
//! `training_pages` (administration), `queries` (SQL, server-only),
//! `progress` and `training` (the transactions, server-only), `markdown`
//! (rendering, server-only), `rules` (pure rules with unit tests), `demo`.

pub mod api;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
mod demo_courses;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod markdown;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod progress;
#[cfg(feature = "ssr")]
pub mod queries;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod training;
pub mod training_api;
pub mod training_pages;

pub use api::*;
pub use pages::{CoursePage, CoursesPage, LessonPage, TranscriptPage};
pub use training_api::*;
pub use training_pages::TrainingPage;
