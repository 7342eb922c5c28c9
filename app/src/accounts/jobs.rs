//! The accounts domain's background job: housekeeping of what sign-in leaves
//! behind. Expired sessions are already refused when presented; this removes
//! them, with sign-in counters whose window has ended, sign-in challenges and
//! two-step setups past their time, and finished job items older than a week.

use super::{second_factor, sessions, throttle};
use crate::platform::jobs::{handler, prune_finished, Handler};
use crate::platform::{now, Config};
use std::sync::Arc;

pub const PRUNE: &str = "accounts.prune";
pub const PRUNE_EVERY_SECS: i64 = 600;
/// Finished job items are kept this long.
pub const KEEP_FINISHED_SECS: i64 = 7 * 86_400;

pub fn prune_handler(config: Arc<Config>) -> Handler {
    handler(move |tx, _item| {
        let config = config.clone();
        Box::pin(async move {
            let at = now();
            let ended = sessions::prune_expired(&mut **tx, at, &config).await?;
            let counters = throttle::prune(&mut **tx, at).await?;
            let challenges = second_factor::prune_challenges(&mut **tx, at).await?;
            let setups = second_factor::prune_setups(&mut **tx, at).await?;
            let items = prune_finished(tx, at - KEEP_FINISHED_SECS).await?;
            Ok(format!(
                "{ended} expired sessions, {counters} sign-in counters, {challenges} sign-in challenges, {setups} expired two-step setups and {items} finished job items removed"
            ))
        })
    })
}
