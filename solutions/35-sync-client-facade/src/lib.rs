//! Kata 35, reference solution: an async facade over a blocking client that
//! cannot leave its thread.
//!
//! The client is blocking *and* `!Send`, so neither of the usual moves works:
//! it cannot be called on an async worker (it would block it), and it cannot
//! be handed to `spawn_blocking` call by call (the compiler refuses to move it
//! to another thread). What works is an *actor*: one thread of its own
//! creates the client and keeps it for life, and everybody else talks to that
//! thread through messages.
//!
//! * [`DbHandle`] holds the sending end of a channel, the thread's mailbox.
//!   Cloning it is cloning the sender, so any number of tasks on any threads
//!   can share the one client.
//! * Each request carries a `oneshot` sender for its reply: the reply goes
//!   back to exactly the caller who asked, and awaiting it parks the caller's
//!   task, never the worker thread.
//! * The thread reads the mailbox with a *blocking* receive (it is a plain
//!   thread, blocking is its job) and runs one command at a time, in the order
//!   they arrived.
//! * When the last handle is dropped, the last sender goes with it, the
//!   blocking receive returns `None`, the loop ends, the client is dropped on
//!   its own thread, and the thread exits. Nobody has to send "stop".

// The given code lives once, in the kata's crate: the solution uses the very
// same file, so the two cannot drift.
#[path = "../../../katas/35-sync-client-facade/src/given.rs"]
mod given;
pub use given::{Client, Command, Database, DbError, Executed, FacadeError, READ_TIMEOUT, Reply};

use tokio::sync::{mpsc, oneshot};

/// How many requests may wait in the mailbox. A bounded mailbox makes callers
/// wait (asynchronously) when the client falls behind, instead of letting the
/// queue, and the memory it takes, grow without limit.
const MAILBOX: usize = 64;

/// One request to the client's thread: the command, and where its reply goes.
struct Request {
    command: Command,
    reply: oneshot::Sender<Result<Reply, DbError>>,
}

/// An async handle on one blocking [`Client`] that lives on a thread of its
/// own. Cheap to clone; every clone talks to the same client, and the client's
/// thread ends once the last clone is dropped.
#[derive(Debug, Clone)]
pub struct DbHandle {
    /// The client thread's mailbox. The thread holds the receiver; every
    /// handle holds a sender, and the channel closes when the last one goes.
    requests: mpsc::Sender<Request>,
}

impl DbHandle {
    /// Starts the client's thread, connects the client there, and returns a
    /// handle once it is connected.
    ///
    /// # Errors
    /// [`FacadeError::Db`] with the client's error when the connection fails;
    /// the thread has then ended.
    pub async fn connect(db: &Database) -> Result<Self, FacadeError> {
        let (requests, mailbox) = mpsc::channel(MAILBOX);
        // A oneshot for the one message "connected, or why not": the thread
        // owns the client, so only the thread can tell.
        let (connected, connection) = oneshot::channel();
        let db = db.clone();
        // A thread of its own rather than `spawn_blocking`: this loop runs as
        // long as any handle exists, and a long-lived job would hold one of
        // the blocking pool's threads (which a runtime waits for at shutdown)
        // for its whole life. The thread is detached: the channel, not a
        // `join`, tells it when to stop.
        std::thread::Builder::new()
            .name("db-client".to_owned())
            .spawn(move || serve(&db, mailbox, connected))
            // Running out of threads is a broken machine, not an answer a
            // caller could act on.
            .expect("the OS could not start the client's thread");

        // Awaiting the oneshot parks this task while the thread connects.
        // If this future is dropped meanwhile, `requests` goes with it: the
        // thread then finds its mailbox closed and ends on its own.
        match connection.await {
            Ok(Ok(())) => Ok(Self { requests }),
            Ok(Err(error)) => Err(FacadeError::Db(error)),
            // The thread dropped the sender without a word: it panicked
            // while connecting.
            Err(_) => Err(FacadeError::Gone),
        }
    }

    /// Runs `command` on the client's thread and waits for its reply without
    /// blocking the async worker. Commands run one at a time, in the order
    /// they were asked for; a command whose caller gave up before its turn
    /// does not run at all.
    ///
    /// # Errors
    /// [`FacadeError::Db`] with the client's own error, or
    /// [`FacadeError::Gone`] when the client's thread has died (the client
    /// panicked): at once, never a hang and never a panic.
    pub async fn execute(&self, command: Command) -> Result<Reply, FacadeError> {
        // A channel of its own for this one reply: whoever else is waiting,
        // this caller gets the answer to its own command.
        let (reply, answer) = oneshot::channel();
        // `send` waits (asynchronously) only while the mailbox is full; the
        // channel keeps the order in which callers sent. It fails only when
        // the receiver is gone, that is when the thread has died.
        self.requests
            .send(Request { command, reply })
            .await
            .map_err(|_| FacadeError::Gone)?;
        match answer.await {
            Ok(result) => result.map_err(FacadeError::Db),
            // The thread dropped our reply sender unanswered: it panicked
            // while running this command or one queued before it.
            Err(_) => Err(FacadeError::Gone),
        }
    }
}

/// The client thread's whole life: connect, report, then serve the mailbox
/// until every handle is gone.
fn serve(
    db: &Database,
    mut mailbox: mpsc::Receiver<Request>,
    connected: oneshot::Sender<Result<(), DbError>>,
) {
    // The client is created here, on the thread that will use it, and never
    // leaves: it is `!Send`, and nothing here tries to move it.
    let mut client = match Client::connect(db) {
        Ok(client) => client,
        Err(error) => {
            // The caller may have given up already; then nobody is told.
            let _ = connected.send(Err(error));
            return;
        }
    };
    // If the caller of `connect` gave up, no handle exists: the mailbox is
    // already closed, and the loop below ends at once.
    let _ = connected.send(Ok(()));

    // `blocking_recv` parks this thread until a request comes, and returns
    // `None` once every sender (every handle) has been dropped and the
    // mailbox is empty. It is made for plain threads: inside a runtime it
    // would panic, which is one more reason this is not a task.
    while let Some(Request { command, reply }) = mailbox.blocking_recv() {
        // The caller gave up (timed out, was cancelled) before its turn: the
        // command has not started, so not starting it is still possible, and
        // nobody would see its reply.
        if reply.is_closed() {
            continue;
        }
        // If the client panics here, this thread unwinds: `mailbox` is
        // dropped with every queued request in it, so each waiting caller
        // (and this one) sees its reply sender dropped and gets `Gone`; and
        // later `send`s fail, for the same answer.
        let result = client.execute(command);
        // The caller may have given up while the command ran; the reply is
        // then dropped, and that is all.
        let _ = reply.send(result);
    }
    // Here `client` is dropped on its own thread, then the thread ends.
}
