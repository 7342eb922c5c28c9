//! Learning: the course catalogue, lessons (Markdown rendered safely on the
//! server), enrollment, per-lesson progress and completion with expiry, the
//! learner's transcript, and training administration (the matrix of staff ×
//! required courses, assignment, development plans and their proposals).
//!
//! Rooms: `api` (shared types and the learner's server functions), `pages`
//! (the catalogue, a course, a lesson, the transcript), `training_api` and
//! `training_pages` (administration), `queries` (SQL, server-only),
//! `progress`, `training` and `assign` (the transactions, server-only), `markdown`
//! (rendering, server-only), `rules` (pure rules with unit tests), `demo`.
//! Authoring: `editor_api` and `editor_pages` (the course editor), `editor`
//! and `editor_lessons` (its transactions), `materials` (upload and download of course files),
//! `authoring` (pure rules). Seats: `seats` (courses sold by the seat as order
//! lines; taken when a customer learner starts such a course). Notices:
//! `reminders` (assignment messages and the hourly job of due and expiry
//! reminders).

pub mod api;
#[cfg(feature = "ssr")]
pub mod assign;
pub mod authoring;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
mod demo_courses;
#[cfg(feature = "ssr")]
pub mod editor;
pub mod editor_api;
#[cfg(feature = "ssr")]
pub mod editor_lessons;
pub mod editor_pages;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod markdown;
#[cfg(feature = "ssr")]
pub mod materials;
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
#[cfg(feature = "ssr")]
pub mod training;
pub mod training_api;
pub mod training_pages;

pub use api::*;
pub use editor_pages::{CourseEditPage, CourseEditorPage, LessonEditPage};
pub use pages::{CoursePage, CoursesPage, LessonPage, TranscriptPage};
pub use training_api::*;
pub use training_pages::TrainingPage;
