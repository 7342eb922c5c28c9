-- E-learning: courses of modules and lessons, enrollments with per-lesson
-- progress and a completion that may expire, development plans (the courses
-- each job role of an organisation needs) and course feedback.
-- Migrations are numbered per domain: 05xx learning.

CREATE TABLE courses (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    -- Who may take it: partner staff, customer staff or both.
    audience TEXT NOT NULL CHECK (audience IN ('partner', 'customer', 'both')),
    -- The equipment model it is about, if any.
    model_id INTEGER REFERENCES equipment_models (id),
    level TEXT NOT NULL CHECK (level IN ('foundation', 'intermediate', 'advanced')),
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes > 0),
    -- Months after which a completion expires; NULL: it never does.
    validity_months INTEGER CHECK (validity_months > 0),
    published BOOLEAN NOT NULL DEFAULT TRUE,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE course_prerequisites (
    course_id INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    requires_id INTEGER NOT NULL REFERENCES courses (id),
    PRIMARY KEY (course_id, requires_id),
    CHECK (course_id <> requires_id)
);

CREATE TABLE course_modules (
    id INTEGER PRIMARY KEY,
    course_id INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    UNIQUE (course_id, position)
);

-- Lessons are numbered through the course (1, 2, 3… across its modules): the
-- number is the lesson's address, /courses/{slug}/lessons/{n}.
CREATE TABLE lessons (
    id INTEGER PRIMARY KEY,
    course_id INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    module_id INTEGER NOT NULL REFERENCES course_modules (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position > 0),
    title TEXT NOT NULL,
    -- Markdown as authored; rendered to safe HTML on the server.
    body_md TEXT NOT NULL,
    minutes INTEGER NOT NULL DEFAULT 5,
    UNIQUE (course_id, position)
);

-- One enrollment per person and course. A completion keeps its date and
-- expiry; retaking an expired course clears the lesson progress and keeps the
-- old completion until the new one replaces it.
CREATE TABLE enrollments (
    id INTEGER PRIMARY KEY,
    course_id INTEGER NOT NULL REFERENCES courses (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    -- How it came: self-service, assigned by an admin of the learner's
    -- organisation, or a training seat bought as an order line.
    source TEXT NOT NULL CHECK (source IN ('self', 'assigned', 'seat')),
    assigned_by INTEGER REFERENCES users (id),
    due_at INTEGER,
    enrolled_at INTEGER NOT NULL,
    completed_at INTEGER,
    -- NULL when completed and the course does not expire.
    expires_at INTEGER,
    -- The last lesson marked done (also the row every progress write locks first).
    last_activity_at INTEGER,
    UNIQUE (user_id, course_id)
);

CREATE INDEX enrollments_course ON enrollments (course_id);

CREATE TABLE lesson_progress (
    enrollment_id INTEGER NOT NULL REFERENCES enrollments (id) ON DELETE CASCADE,
    lesson_id INTEGER NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    done_at INTEGER NOT NULL,
    PRIMARY KEY (enrollment_id, lesson_id)
);

-- Job roles of an organisation (operator, technician…), and the courses each
-- needs: the development plan. A user holds at most one job role.
CREATE TABLE job_roles (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organisations (id),
    name TEXT NOT NULL,
    UNIQUE (org_id, name)
);

CREATE TABLE job_role_courses (
    job_role_id INTEGER NOT NULL REFERENCES job_roles (id) ON DELETE CASCADE,
    course_id INTEGER NOT NULL REFERENCES courses (id),
    PRIMARY KEY (job_role_id, course_id)
);

CREATE TABLE staff_job_roles (
    user_id INTEGER PRIMARY KEY REFERENCES users (id),
    job_role_id INTEGER NOT NULL REFERENCES job_roles (id) ON DELETE CASCADE
);

CREATE INDEX staff_job_roles_role ON staff_job_roles (job_role_id);

-- A learner's rating of a course they completed; one per person and course.
CREATE TABLE course_feedback (
    course_id INTEGER NOT NULL REFERENCES courses (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment TEXT NOT NULL DEFAULT '',
    at INTEGER NOT NULL,
    PRIMARY KEY (course_id, user_id)
);
