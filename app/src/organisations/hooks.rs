//! Hooks, server-only: how later domains act when an organisation is
//! deactivated, without organisations naming them (accounts come after
//! organisations: CONTRIBUTING.md). Accounts registers an
//! [`OnOrganisationDeactivated`] that ends the organisation's sessions; it
//! runs in the transaction of the deactivation.

use crate::platform::db::Tx;
use std::future::Future;
use std::pin::Pin;

/// A hook's future: it borrows the deactivation's transaction and answers
/// how many things it ended (for the audit entry).
pub type HookFuture<'a> = Pin<Box<dyn Future<Output = Result<u64, sqlx::Error>> + Send + 'a>>;

/// Runs when organisation `id` is deactivated.
pub struct OnOrganisationDeactivated(pub for<'a> fn(&'a mut Tx, i64) -> HookFuture<'a>);

inventory::collect!(OnOrganisationDeactivated);

/// Runs every registered hook for a deactivated organisation; the sum of
/// what they ended.
pub async fn deactivated(tx: &mut Tx, id: i64) -> Result<u64, sqlx::Error> {
    let mut ended = 0;
    for hook in inventory::iter::<OnOrganisationDeactivated> {
        ended += (hook.0)(tx, id).await?;
    }
    Ok(ended)
}
