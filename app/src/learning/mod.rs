//! Learning: three sub-domains over shared rooms.
//!
//! - The learner's courses, at this level: `api` (shared types and the
//!   learner's server functions), `pages` (the catalogue, a course, a lesson,
//!   the transcript), `progress` (enrolling, lessons, completion, ratings;
//!   server-only), `markdown` (safe rendering, server-only).
//! - `authoring/`: the course editor (its own `api`, `pages`, `rules`,
//!   `editor` and `lessons` transactions, `materials`).
//! - `training/`: training administration (the matrix, assignment, the
//!   development plan, the CSV export).
//!
//! Shared by the three: `rules` (status, expiry, audiences; pure, with unit
//! tests), `queries` (the course and enrollment SQL, server-only), `seats`
//! (courses sold by the seat; the one door into an enrollment), `reminders`
//! (notices), `demo`.

pub mod api;
pub mod authoring;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
mod demo_courses;
#[cfg(feature = "ssr")]
pub mod markdown;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod progress;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod reminders;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod seats;
pub mod training;

pub use api::*;
pub use authoring::pages::{CourseEditPage, CourseEditorPage, LessonEditPage};
pub use pages::{CoursePage, CoursesPage, LessonPage, TranscriptPage};
pub use training::api::*;
pub use training::pages::TrainingPage;
