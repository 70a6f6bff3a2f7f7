//! Kata 40: an async constructor, and a lazy async singleton.
//!
//! Python's `__init__` cannot `await`; Rust has no constructors at all, so an
//! async one is just an `async fn` that returns `Result<Self, _>`. Write:
//!
//! * [`Client::connect`]: open a connection, log in, load the settings, and
//!   return a ready [`Client`], or an error, never a half-made client; a step
//!   that fails after the connection was opened closes it first;
//! * [`LazyClient::get`]: the one shared client, made on the first call; ten
//!   callers arriving together make it once; a failed attempt is not kept,
//!   the next caller tries again.
//!
//! The simulated [`Server`], its [`Connection`], the [`Client`] type and
//! [`ConnectError`] are given, in `src/given.rs`.
//!
//! Run the tests with `cargo test -p async-constructor`, or `cargo xtask watch`.

mod given;
pub use given::{
    CLOSE_LATENCY, Client, ConnectError, Connection, LOGIN_LATENCY, OPEN_LATENCY, QUERY_LATENCY,
    SETTINGS_LATENCY, Server, Settings,
};

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
        // TODO: `server.open()`, then `login()` and `load_settings()` on the
        // connection; build the client from its two fields only when all
        // three worked. Close the connection before returning a later error.
        todo!("make a ready client of {server:?}")
    }
}

/// One client, shared by every caller, made by the first call to
/// [`get`](Self::get) (Python's module-level singleton made on first use).
pub struct LazyClient {
    server: Server,
    // TODO: somewhere to keep the client once it is made, that lets one
    // caller make it while the others wait.
}

impl LazyClient {
    /// A lazy client of `server`. Connects nothing: the first `get` does.
    pub fn new(server: Server) -> Self {
        Self { server }
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
        // TODO: make the client once, with `Client::connect(&self.server)`.
        todo!("the shared client of {:?}", self.server)
    }
}
