//! The given part of kata 35: a blocking database [`Client`] that must stay
//! on the thread that connected it (it is `!Send`, like a `sqlite3`
//! connection made with `check_same_thread=True`), the [`Database`] it talks
//! to, which the tests can hold back and inspect, and the errors. You do not
//! need to change this file; the tests and the reference solution use it as
//! it is.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;
use std::rc::Rc;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

use tokio::sync::watch;

/// How long a command waits for a held [`Database`] before it gives up, in
/// real time, like the read timeout of a socket.
pub const READ_TIMEOUT: Duration = Duration::from_secs(1);

/// A command for the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Stores `value` under `key`; the reply is [`Reply::Done`].
    Set {
        /// The key.
        key: String,
        /// The value.
        value: String,
    },
    /// Reads the value under `key`; the reply is [`Reply::Value`].
    Get {
        /// The key.
        key: String,
    },
    /// Makes the client panic, as a bug in a driver would.
    Crash,
}

impl Command {
    /// `Set { key, value }`.
    pub fn set(key: &str, value: &str) -> Self {
        Self::Set {
            key: key.to_owned(),
            value: value.to_owned(),
        }
    }

    /// `Get { key }`.
    pub fn get(key: &str) -> Self {
        Self::Get {
            key: key.to_owned(),
        }
    }
}

/// What a command gives back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// A `Set` was stored.
    Done,
    /// The value a `Get` found, if any.
    Value(Option<String>),
}

/// What the database or the client can answer besides a reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbError {
    /// The database refused the connection.
    Refused,
    /// The database was held for longer than [`READ_TIMEOUT`].
    TimedOut,
    /// The client was used on another thread than the one that connected it.
    WrongThread,
}

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Refused => write!(f, "the database refused the connection"),
            Self::TimedOut => write!(f, "no answer from the database within {READ_TIMEOUT:?}"),
            Self::WrongThread => write!(
                f,
                "the client was used on another thread than the one that connected it"
            ),
        }
    }
}

impl std::error::Error for DbError {}

/// What the async facade answers besides a reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FacadeError {
    /// The client or the database said no.
    Db(DbError),
    /// The client's thread is gone (the client panicked), so nobody can
    /// answer.
    Gone,
}

impl From<DbError> for FacadeError {
    fn from(error: DbError) -> Self {
        Self::Db(error)
    }
}

impl fmt::Display for FacadeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Db(error) => write!(f, "{error}"),
            Self::Gone => write!(f, "the client's thread is gone"),
        }
    }
}

impl std::error::Error for FacadeError {}

/// One command a client executed (or tried to).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Executed {
    /// The command.
    pub command: Command,
    /// The OS thread that ran it.
    pub thread: ThreadId,
    /// What it gave back.
    pub reply: Result<Reply, DbError>,
}

/// The database server: a key-value store that any thread may share. The
/// tests use it to refuse connections, hold commands back, and see what the
/// clients did and on which threads.
#[derive(Debug, Clone, Default)]
pub struct Database {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    /// A std Mutex and Condvar: the clients are plain blocking code.
    state: Mutex<State>,
    released: Condvar,
    /// Commands blocked by `hold` right now; a watch channel, so that an
    /// async test can wait for a count without polling.
    waiting: watch::Sender<usize>,
    /// Client threads that have ended.
    threads_ended: watch::Sender<usize>,
}

impl Default for Shared {
    fn default() -> Self {
        Self {
            state: Mutex::default(),
            released: Condvar::new(),
            waiting: watch::Sender::new(0),
            threads_ended: watch::Sender::new(0),
        }
    }
}

#[derive(Debug, Default)]
struct State {
    data: HashMap<String, String>,
    refuse: bool,
    held: bool,
    connections: usize,
    open: usize,
    executed: Vec<Executed>,
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Blocks the calling thread while the database is held, up to
    /// [`READ_TIMEOUT`], and gives the state back once it is not.
    fn state_once_released(&self) -> Result<MutexGuard<'_, State>, DbError> {
        let deadline = Instant::now() + READ_TIMEOUT;
        let mut state = self.state();
        if state.held {
            self.waiting.send_modify(|n| *n += 1);
            while state.held {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    break;
                }
                state = self
                    .released
                    .wait_timeout(state, left)
                    .unwrap_or_else(PoisonError::into_inner)
                    .0;
            }
            self.waiting.send_modify(|n| *n -= 1);
            if state.held {
                return Err(DbError::TimedOut);
            }
        }
        Ok(state)
    }
}

impl Database {
    /// An empty database that accepts connections and answers at once.
    pub fn new() -> Self {
        Self::default()
    }

    /// From now on, refuses every connection.
    pub fn refuse_connections(&self) {
        self.shared.state().refuse = true;
    }

    /// From now on, every command and every connection waits for
    /// [`release`](Database::release) (or gives up after [`READ_TIMEOUT`]).
    pub fn hold(&self) {
        self.shared.state().held = true;
    }

    /// Lets every waiting command or connection go on, and every later one
    /// at once.
    pub fn release(&self) {
        self.shared.state().held = false;
        self.shared.released.notify_all();
    }

    /// Resolves once at least `calls` commands or connections are waiting
    /// for [`release`](Database::release) at the same time.
    pub async fn until_waiting(&self, calls: usize) {
        let mut waiting = self.shared.waiting.subscribe();
        // The sender lives in `self.shared`, which outlives this borrow.
        let _ = waiting.wait_for(|&now| now >= calls).await;
    }

    /// How many connections were ever made.
    pub fn connections(&self) -> usize {
        self.shared.state().connections
    }

    /// How many clients are connected right now (connected, not yet dropped).
    pub fn open_connections(&self) -> usize {
        self.shared.state().open
    }

    /// Every command executed so far, in the order they finished.
    pub fn executed(&self) -> Vec<Executed> {
        self.shared.state().executed.clone()
    }

    /// The commands executed so far, in the order they finished.
    pub fn log(&self) -> Vec<Command> {
        self.executed().into_iter().map(|e| e.command).collect()
    }

    /// How many threads that called [`Client::connect`] have ended. A thread
    /// is counted when it has really finished: its function returned (or
    /// unwound) and its thread-local values were dropped.
    pub fn client_threads_ended(&self) -> usize {
        *self.shared.threads_ended.borrow()
    }

    /// Resolves once at least `threads` threads that called
    /// [`Client::connect`] have ended.
    pub async fn until_client_threads_ended(&self, threads: usize) {
        let mut ended = self.shared.threads_ended.subscribe();
        // The sender lives in `self.shared`, which outlives this borrow.
        let _ = ended.wait_for(|&now| now >= threads).await;
    }
}

thread_local! {
    /// The databases this thread connected to: each hears of the thread's
    /// end when this value is dropped, which the standard library does as
    /// the thread exits.
    static THREAD_END: ThreadEnd = ThreadEnd::default();
}

#[derive(Default)]
struct ThreadEnd {
    databases: RefCell<Vec<Arc<Shared>>>,
}

impl ThreadEnd {
    fn watch(&self, shared: &Arc<Shared>) {
        let mut databases = self.databases.borrow_mut();
        if !databases.iter().any(|known| Arc::ptr_eq(known, shared)) {
            databases.push(Arc::clone(shared));
        }
    }
}

impl Drop for ThreadEnd {
    fn drop(&mut self) {
        for shared in self.databases.take() {
            shared.threads_ended.send_modify(|ended| *ended += 1);
        }
    }
}

/// A blocking client of the [`Database`], bound to the thread that
/// connected it: it is `!Send` (the compiler keeps it on its thread), and it
/// answers [`DbError::WrongThread`] if it is used anywhere else all the same.
#[derive(Debug)]
pub struct Client {
    shared: Arc<Shared>,
    owner: ThreadId,
    /// `Rc` is neither `Send` nor `Sync`: neither is the client.
    _bound_to_its_thread: PhantomData<Rc<()>>,
}

impl Client {
    /// Connects to `db`. **Blocking**: waits while the database is held (up
    /// to [`READ_TIMEOUT`]). The client can then be used on this thread only.
    ///
    /// # Errors
    /// [`DbError::Refused`] when the database refuses connections;
    /// [`DbError::TimedOut`] when it stayed held.
    pub fn connect(db: &Database) -> Result<Self, DbError> {
        THREAD_END.with(|end| end.watch(&db.shared));
        let mut state = db.shared.state_once_released()?;
        if state.refuse {
            return Err(DbError::Refused);
        }
        state.connections += 1;
        state.open += 1;
        Ok(Self {
            shared: Arc::clone(&db.shared),
            owner: thread::current().id(),
            _bound_to_its_thread: PhantomData,
        })
    }

    /// Runs one command. **Blocking**: waits while the database is held (up
    /// to [`READ_TIMEOUT`]), then runs it.
    ///
    /// # Errors
    /// [`DbError::WrongThread`] on another thread than the one that
    /// connected; [`DbError::TimedOut`] when the database stayed held.
    ///
    /// # Panics
    /// On [`Command::Crash`].
    pub fn execute(&mut self, command: Command) -> Result<Reply, DbError> {
        let reply = if thread::current().id() != self.owner {
            Err(DbError::WrongThread)
        } else {
            self.run(&command)
        };
        self.shared.state().executed.push(Executed {
            command,
            thread: thread::current().id(),
            reply: reply.clone(),
        });
        reply
    }

    fn run(&self, command: &Command) -> Result<Reply, DbError> {
        let mut state = self.shared.state_once_released()?;
        match command {
            Command::Set { key, value } => {
                state.data.insert(key.clone(), value.clone());
                Ok(Reply::Done)
            }
            Command::Get { key } => Ok(Reply::Value(state.data.get(key).cloned())),
            Command::Crash => {
                drop(state);
                panic!("the database driver crashed");
            }
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        self.shared.state().open -= 1;
    }
}
