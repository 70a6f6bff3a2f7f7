//! The given part of kata 40: a simulated database [`Server`], the
//! [`Connection`] it hands out, the [`Client`] type your constructor builds,
//! and the errors. You do not need to change this file; the tests and the
//! reference solution use it as it is.
//!
//! A session on the server goes through three steps, each a round trip:
//! [`Server::open`] (40 ms), [`Connection::login`] (20 ms) and
//! [`Connection::load_settings`] (20 ms). A session ends in one of two ways:
//! [`Connection::close`] says goodbye to the server (10 ms), or the
//! `Connection` is dropped without it, and the server is left with a session
//! it will only time out much later: it counts it as *abandoned*.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// How long [`Server::open`] takes, refused or not.
pub const OPEN_LATENCY: Duration = Duration::from_millis(40);
/// How long [`Connection::login`] takes.
pub const LOGIN_LATENCY: Duration = Duration::from_millis(20);
/// How long [`Connection::load_settings`] takes.
pub const SETTINGS_LATENCY: Duration = Duration::from_millis(20);
/// How long [`Connection::close`] takes.
pub const CLOSE_LATENCY: Duration = Duration::from_millis(10);
/// How long [`Client::query`] takes.
pub const QUERY_LATENCY: Duration = Duration::from_millis(5);

/// The settings the server keeps for its clients: a client needs them before
/// it can do anything useful.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Where the data lives.
    pub region: String,
    /// How many requests the client may have in flight.
    pub max_in_flight: u32,
}

/// Why a step of making a client failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectError {
    /// The server refused the connection.
    Refused,
    /// The server rejected the login.
    LoginRejected,
    /// The server could not send the settings.
    SettingsUnavailable,
    /// A request that needs a logged-in session came before the login.
    NotLoggedIn,
}

impl fmt::Display for ConnectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Refused => "the server refused the connection",
            Self::LoginRejected => "the server rejected the login",
            Self::SettingsUnavailable => "the server could not send the settings",
            Self::NotLoggedIn => "the session is not logged in",
        })
    }
}

impl std::error::Error for ConnectError {}

/// A simulated database server. Clones share the same server.
///
/// The tests script its failures (`refuse_connections`, `reject_logins`,
/// `fail_settings`) and read its books: how many connections were attempted,
/// and how many sessions are open, were closed, or were abandoned.
#[derive(Debug, Clone)]
pub struct Server {
    /// A std Mutex: it is never held across an `.await`, and a connection's
    /// `Drop` (which cannot await) must reach it too.
    state: Arc<Mutex<ServerState>>,
}

#[derive(Debug)]
struct ServerState {
    settings: Settings,
    /// How many of the next attempts / logins / settings requests fail.
    refuse: usize,
    reject: usize,
    fail_settings: usize,
    attempts: usize,
    next_session: u64,
    /// The open sessions, and whether each is logged in.
    sessions: HashMap<u64, bool>,
    closed: usize,
    abandoned: usize,
}

impl Default for Server {
    fn default() -> Self {
        Self::new()
    }
}

impl Server {
    /// A server that accepts everything, with the settings
    /// `{ region: "eu-west", max_in_flight: 8 }`.
    pub fn new() -> Self {
        Self {
            state: Arc::new(Mutex::new(ServerState {
                settings: Settings {
                    region: "eu-west".to_owned(),
                    max_in_flight: 8,
                },
                refuse: 0,
                reject: 0,
                fail_settings: 0,
                attempts: 0,
                next_session: 1,
                sessions: HashMap::new(),
                closed: 0,
                abandoned: 0,
            })),
        }
    }

    /// The next `count` connection attempts are refused.
    pub fn refuse_connections(&self, count: usize) {
        self.lock().refuse = count;
    }

    /// The next `count` logins are rejected.
    pub fn reject_logins(&self, count: usize) {
        self.lock().reject = count;
    }

    /// The next `count` settings requests fail.
    pub fn fail_settings(&self, count: usize) {
        self.lock().fail_settings = count;
    }

    /// Opens a connection: a new session, not yet logged in. Takes
    /// [`OPEN_LATENCY`], also when the server refuses.
    ///
    /// # Errors
    /// [`ConnectError::Refused`] when the server refuses the connection.
    pub async fn open(&self) -> Result<Connection, ConnectError> {
        self.lock().attempts += 1;
        tokio::time::sleep(OPEN_LATENCY).await;
        let mut state = self.lock();
        if state.refuse > 0 {
            state.refuse -= 1;
            return Err(ConnectError::Refused);
        }
        let session = state.next_session;
        state.next_session += 1;
        state.sessions.insert(session, false);
        Ok(Connection {
            server: self.clone(),
            session,
            closed: false,
        })
    }

    /// How many connections were attempted (counted when `open` is called).
    pub fn connection_attempts(&self) -> usize {
        self.lock().attempts
    }

    /// How many sessions are open now.
    pub fn open_sessions(&self) -> usize {
        self.lock().sessions.len()
    }

    /// How many sessions were ended by [`Connection::close`].
    pub fn closed_sessions(&self) -> usize {
        self.lock().closed
    }

    /// How many sessions were ended by dropping their `Connection` without
    /// closing it: the server notices only much later.
    pub fn abandoned_sessions(&self) -> usize {
        self.lock().abandoned
    }

    /// The settings the server sends to a logged-in session.
    pub fn settings(&self) -> Settings {
        self.lock().settings.clone()
    }

    fn lock(&self) -> MutexGuard<'_, ServerState> {
        self.state
            .lock()
            .expect("the server never panics while locked")
    }
}

/// An open session on the [`Server`]. Drop it without [`close`](Self::close)
/// and the server counts the session as abandoned.
#[derive(Debug)]
pub struct Connection {
    server: Server,
    session: u64,
    closed: bool,
}

impl Connection {
    /// The session's number on the server (from 1, one per opened session).
    pub fn session(&self) -> u64 {
        self.session
    }

    /// Logs the session in. Takes [`LOGIN_LATENCY`].
    ///
    /// # Errors
    /// [`ConnectError::LoginRejected`] when the server rejects it.
    pub async fn login(&mut self) -> Result<(), ConnectError> {
        tokio::time::sleep(LOGIN_LATENCY).await;
        let mut state = self.server.lock();
        if state.reject > 0 {
            state.reject -= 1;
            return Err(ConnectError::LoginRejected);
        }
        state.sessions.insert(self.session, true);
        Ok(())
    }

    /// Fetches the client's settings. Needs a logged-in session. Takes
    /// [`SETTINGS_LATENCY`].
    ///
    /// # Errors
    /// [`ConnectError::NotLoggedIn`] before the login,
    /// [`ConnectError::SettingsUnavailable`] when the server fails to send them.
    pub async fn load_settings(&mut self) -> Result<Settings, ConnectError> {
        tokio::time::sleep(SETTINGS_LATENCY).await;
        let mut state = self.server.lock();
        if state.sessions.get(&self.session) != Some(&true) {
            return Err(ConnectError::NotLoggedIn);
        }
        if state.fail_settings > 0 {
            state.fail_settings -= 1;
            return Err(ConnectError::SettingsUnavailable);
        }
        Ok(state.settings.clone())
    }

    /// Says goodbye to the server, which ends the session at once. Takes
    /// [`CLOSE_LATENCY`]; dropped before that, the session is abandoned.
    pub async fn close(mut self) {
        tokio::time::sleep(CLOSE_LATENCY).await;
        let mut state = self.server.lock();
        state.sessions.remove(&self.session);
        state.closed += 1;
        self.closed = true;
    }

    async fn query(&self, sql: &str) -> Result<String, ConnectError> {
        tokio::time::sleep(QUERY_LATENCY).await;
        if self.server.lock().sessions.get(&self.session) != Some(&true) {
            return Err(ConnectError::NotLoggedIn);
        }
        Ok(format!("session {} ran {sql:?}", self.session))
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        if !self.closed {
            // No goodbye: the server keeps the session until it times it out.
            // Here it is taken off the open list and counted as abandoned.
            let mut state = self.server.lock();
            state.sessions.remove(&self.session);
            state.abandoned += 1;
        }
    }
}

/// A ready client: a logged-in connection and its settings. Made by
/// `Client::connect` (yours, in `src/lib.rs`), from these two fields.
#[derive(Debug)]
pub struct Client {
    /// The client's connection: open and logged in.
    pub(crate) connection: Connection,
    /// The settings the server sent to this connection.
    pub(crate) settings: Settings,
}

impl Client {
    /// The settings the server sent.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The number of the client's session on the server.
    pub fn session(&self) -> u64 {
        self.connection.session()
    }

    /// Runs a query on the server. Takes [`QUERY_LATENCY`].
    ///
    /// # Errors
    /// [`ConnectError::NotLoggedIn`] if the session is not logged in.
    pub async fn query(&self, sql: &str) -> Result<String, ConnectError> {
        self.connection.query(sql).await
    }
}
