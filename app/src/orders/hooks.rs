//! Hooks, server-only: how later domains act on an order without orders
//! naming them. Orders come before learning in the order of domains
//! (CONTRIBUTING.md), yet confirming an order grants its course seats: the
//! later domain registers an [`OnOrderMoved`] with `inventory::submit!`, and
//! every status change runs each registered hook in its own transaction, so
//! the grant commits or rolls back with the move.

use super::api::OrderStatus;
use crate::platform::db::Tx;
use std::future::Future;
use std::pin::Pin;

/// What a hook's future is: it borrows the move's transaction.
pub type HookFuture<'a> = Pin<Box<dyn Future<Output = Result<(), sqlx::Error>> + Send + 'a>>;

/// Runs when an order moves `from` one status `to` another, in the
/// transaction of the move.
pub struct OnOrderMoved(
    pub for<'a> fn(&'a mut Tx, i64, OrderStatus, OrderStatus) -> HookFuture<'a>,
);

inventory::collect!(OnOrderMoved);

/// Runs every registered [`OnOrderMoved`] for a move of order `id`.
pub async fn order_moved(
    tx: &mut Tx,
    id: i64,
    from: OrderStatus,
    to: OrderStatus,
) -> Result<(), sqlx::Error> {
    for hook in inventory::iter::<OnOrderMoved> {
        (hook.0)(tx, id, from, to).await?;
    }
    Ok(())
}
