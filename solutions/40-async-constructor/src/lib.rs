//! Kata 40, reference solution: an async constructor, and a lazy async
//! singleton.
//!
//! Rust has no constructors, only functions that return `Self`, so an async
//! constructor is an `async fn` that returns `Result<Self, _>`. The caller
//! gets a ready [`Client`] or an error; there is no window in which a client
//! exists but is not ready, because a struct can only be built from all of
//! its fields, and the fields exist only once every step has worked. What is
//! left to get right is the error path: `Drop` cannot `.await`, so a
//! connection that must say goodbye to its server is closed by hand before
//! the error is returned ([`Client::connect`]).
//!
//! The lazy singleton ([`LazyClient`]) is a `tokio::sync::OnceCell`. Its
//! `get_or_try_init` lets one caller at a time run the initialiser while the
//! others wait (they are woken, not polled in a loop), keeps the first
//! success for good, and keeps nothing on failure or cancellation, so that
//! the next caller tries again.

// The given code lives once, in the kata's crate: the solution uses the very
// same file, so the two cannot drift.
#[path = "../../../katas/40-async-constructor/src/given.rs"]
mod given;
pub use given::{
    CLOSE_LATENCY, Client, ConnectError, Connection, LOGIN_LATENCY, OPEN_LATENCY, QUERY_LATENCY,
    SETTINGS_LATENCY, Server, Settings,
};

use tokio::sync::OnceCell;

impl Client {
    /// Makes a ready client: opens a connection to `server`, logs it in and
    /// loads its settings, in that order, and returns only once all three
    /// are done.
    ///
    /// # Errors
    /// The error of the first step that fails. If the connection was opened
    /// before that step failed, it has been closed with
    /// [`Connection::close`] by the time the error is returned: a failed
    /// constructor leaves no session open, and abandons none.
    pub async fn connect(server: &Server) -> Result<Client, ConnectError> {
        // Nothing to clean up yet: a refused connection is simply the error.
        let mut connection = server.open().await?;
        // The steps that need the open connection run in one inner async
        // block, so that every way out of them (each `?`) lands in one
        // place, where the connection is still ours to close.
        let ready = async {
            connection.login().await?;
            connection.load_settings().await
        }
        .await;
        match ready {
            // Only now do both fields exist, so only now can a `Client` be
            // built: no half-made client can ever be seen.
            Ok(settings) => Ok(Client {
                connection,
                settings,
            }),
            Err(error) => {
                // `?` alone would drop the connection here, and `Drop` cannot
                // await the goodbye: the server would keep an abandoned
                // session. Close it, and only then report the error. (Python
                // does the same in an `except` block before `raise`.)
                connection.close().await;
                Err(error)
            }
        }
        // If this future is dropped at one of its `.await`s (a caller's
        // timeout), nothing can await the goodbye: the connection's `Drop`
        // runs and the session is abandoned. Rust has no async drop; a
        // caller that must not abandon sessions does not cancel a connect.
    }
}

/// One client, shared by every caller, made by the first call to
/// [`get`](Self::get) (Python's module-level singleton made on first use).
pub struct LazyClient {
    server: Server,
    /// Empty until a `get` has made the client; then set, for good. Inside,
    /// a semaphore with one permit: the caller holding it runs the
    /// initialiser, the others queue for it (in order), so at most one
    /// connection is ever being made. No `Arc` is needed: the cell lives in
    /// the `LazyClient`, and callers share it by borrowing `&self` (a caller
    /// that needs `'static` puts the whole `LazyClient` in an `Arc`).
    client: OnceCell<Client>,
}

impl LazyClient {
    /// A lazy client of `server`. Connects nothing: the first `get` does.
    pub fn new(server: Server) -> Self {
        Self {
            server,
            client: OnceCell::new(),
        }
    }

    /// The shared client, made with [`Client::connect`] on the first call.
    ///
    /// Callers that arrive while it is being made wait for it, and all get
    /// the same client: however many call at once, one connection is made.
    /// Once made, the client is returned at once, with no waiting.
    ///
    /// # Errors
    /// The error of a failed attempt, to the caller that made it. A failure
    /// is not kept: the next caller (one that was waiting, or a later one)
    /// tries again. So does the next caller when the one making the client
    /// gives up (its future is dropped).
    pub async fn get(&self) -> Result<&Client, ConnectError> {
        // Once the cell is set this returns at once, without touching the
        // semaphore. Before that, one caller at a time gets to run
        // `Client::connect`:
        // - it succeeds: the cell keeps the client and every waiter (now and
        //   later) gets a reference to it;
        // - it fails: the cell stays empty, this caller gets the error, and
        //   the next waiter runs `Client::connect` itself (the failure is
        //   not remembered, unlike a cached task in Python);
        // - its future is dropped: the permit goes back the same way, and
        //   the next waiter takes over. Nothing is left "in progress".
        //
        // Checking `self.client.get()` first and calling `connect` ourselves
        // on `None` would not do: every caller arriving before the first
        // connection is made sees `None`, and each makes a connection.
        self.client
            .get_or_try_init(|| Client::connect(&self.server))
            .await
    }
}
