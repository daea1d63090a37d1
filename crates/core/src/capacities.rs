//! What each sending port of a service can send, so that a received message cannot claim more.
//!
//! A message's header says how many elements it carries; iceoryx2 believes it. Each sending
//! port (publisher, client, server) declares its slice capacity (`max_slice_len`) in the
//! service's dynamic config, and its chunks hold that many elements: a claim beyond it reaches
//! into the neighbouring chunks, other messages' bytes. A receiving port remembers the
//! capacities it saw and re-reads them when a message comes from a sender it does not know.
//!
//! A sender whose segments grow (allocation strategy other than static) declares only its first
//! segment's capacity; its later segments hold more. Its messages are checked against the end of
//! their segment only (`crate::spans::check_received`), as every message is.

use core::fmt::Display;

use iceoryx2::port::DataSegmentType;
use iceoryx2::prelude::CallbackProgression;

use crate::error::{Error, ErrorKind, Result};
use crate::objects::PubSubFactory;

/// More messages than a sending port without a data segment file may declare before it counts
/// as garbage ([`DeclaredPorts`]).
const UNFILED_MESSAGES: usize = 1 << 20;

/// Each sender seen, with its capacity in elements (`None`: its segments grow).
pub(crate) type Declared<Id> = Vec<(Id, Option<usize>)>;

/// The capacity a sender's details declare: its slice length when its segment is static.
pub(crate) fn declared(segment: DataSegmentType, max_slice_len: usize) -> Option<usize> {
    (segment == DataSegmentType::Static).then_some(max_slice_len)
}

/// A receiving port's view of its senders' slice capacities.
pub(crate) struct SenderCapacities<Id> {
    /// What the sending ports are called in messages ("publisher", "server", "client").
    senders: &'static str,
    /// Lists the senders' capacities from the service's dynamic config.
    list: Box<dyn Fn(&mut Declared<Id>)>,
    known: Declared<Id>,
}

impl<Id: Copy + Eq + Display> SenderCapacities<Id> {
    pub(crate) fn new(senders: &'static str, list: impl Fn(&mut Declared<Id>) + 'static) -> Self {
        Self {
            senders,
            list: Box::new(list),
            known: Vec::new(),
        }
    }

    fn capacity_of(&self, sender: Id) -> Option<Option<usize>> {
        self.known
            .iter()
            .find(|(id, _)| *id == sender)
            .map(|&(_, capacity)| capacity)
    }

    /// Checks that a message from `sender` claiming `claimed` elements fits that sender's
    /// chunks. A sender gone from the service cannot be checked here; the caller's check against
    /// the segment's end still applies to its messages.
    pub(crate) fn check(&mut self, sender: Id, claimed: u64) -> Result<()> {
        let capacity = match self.capacity_of(sender) {
            Some(capacity) => capacity,
            None => {
                self.known.clear();
                (self.list)(&mut self.known);
                self.capacity_of(sender).flatten()
            }
        };
        match capacity {
            Some(capacity) if claimed > capacity as u64 => Err(Error::new(
                ErrorKind::InvalidPayload,
                format!(
                    "a peer's message claims {claimed} elements, but its {} {sender} declared \
                     slices of at most {capacity} elements: the rest would be other messages' \
                     bytes. The message is released unread (the sending process is broken or \
                     hostile)",
                    self.senders
                ),
            )),
            _ => Ok(()),
        }
    }
}

/// The capacities of a publish-subscribe service's publishers, for one of its subscribers.
pub(crate) fn of_publishers(
    factory: std::rc::Rc<PubSubFactory>,
) -> SenderCapacities<iceoryx2::identifiers::UniquePublisherId> {
    SenderCapacities::new("publisher", move |known| {
        use iceoryx2::service::port_factory::PortFactory as _;
        factory.dynamic_config().list_publishers(|details| {
            let capacity = declared(details.data_segment_type, details.max_slice_len);
            known.push((details.publisher_id, capacity));
            CallbackProgression::Continue
        });
    })
}

/// What a service's ports declared in its dynamic config, checked before a new port connects
/// to them: iceoryx2 sizes and fills each connection from those numbers, so garbage there (a
/// corrupted file) would have the port creation write gigabytes into `/dev/shm` and not return.
/// A buffer cannot exceed the service's limit, and a sending port's messages each take at least a
/// byte of its data segment file.
#[derive(Default)]
struct DeclaredPorts {
    /// Each buffer: whose, its size, the service's limit and the limit's name.
    buffers: Vec<(String, usize, usize, &'static str)>,
    /// Each sending port: its name, its id (as its data segment file names it), its messages.
    senders: Vec<(String, u128, usize)>,
}

impl DeclaredPorts {
    fn buffer(&mut self, port: String, size: usize, limit: usize, setting: &'static str) {
        self.buffers.push((port, size, limit, setting));
    }

    fn sender(&mut self, port: String, id: u128, messages: usize) {
        self.senders.push((port, id, messages));
    }

    fn check(self) -> Result<()> {
        for (port, size, limit, setting) in self.buffers {
            if size > limit {
                return Err(corrupted(format!(
                    "{port} declares a buffer of {size}, beyond the service's {setting} {limit}"
                )));
            }
        }
        if self.senders.is_empty() {
            return Ok(());
        }
        let files = data_segment_files();
        for (port, id, messages) in self.senders {
            let suffix = format!("_{id}.data");
            match files.iter().find(|(name, _)| name.ends_with(&suffix)) {
                Some((name, bytes)) if messages as u64 > *bytes => {
                    return Err(corrupted(format!(
                        "{port} declares {messages} messages, but its data segment \
                         /dev/shm/{name} holds {bytes} bytes"
                    )))
                }
                // A port being removed may have no file any more; one with no file and more
                // messages than any working one holds is garbage (its id included).
                None if messages > UNFILED_MESSAGES => {
                    return Err(corrupted(format!(
                        "{port} declares {messages} messages and has no data segment in /dev/shm"
                    )))
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// The data segment files in `/dev/shm`, with their sizes.
fn data_segment_files() -> Vec<(String, u64)> {
    let Ok(entries) = std::fs::read_dir("/dev/shm") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let bytes = name
                .ends_with(".data")
                .then(|| entry.metadata().ok())??
                .len();
            Some((name, bytes))
        })
        .collect()
}

/// Checks what a publish-subscribe service's ports declared ([`DeclaredPorts`]).
pub(crate) fn check_publish_subscribe_ports(factory: &PubSubFactory) -> Result<()> {
    use iceoryx2::service::port_factory::PortFactory as _;
    let buffer_limit = factory.static_config().subscriber_max_buffer_size();
    let config = factory.dynamic_config();
    let mut declared = DeclaredPorts::default();
    config.list_subscribers(|details| {
        let port = format!("subscriber {}", details.subscriber_id);
        declared.buffer(
            port,
            details.buffer_size,
            buffer_limit,
            "subscriberMaxBufferSize",
        );
        CallbackProgression::Continue
    });
    config.list_publishers(|details| {
        let port = format!("publisher {}", details.publisher_id);
        declared.sender(
            port,
            details.publisher_id.value(),
            details.number_of_samples,
        );
        CallbackProgression::Continue
    });
    declared.check()
}

/// Checks what a request-response service's ports declared ([`DeclaredPorts`]).
pub(crate) fn check_request_response_ports(
    factory: &crate::request_response::RawFactory,
) -> Result<()> {
    use iceoryx2::service::port_factory::PortFactory as _;
    let config = factory.static_config();
    let (responses, requests) = (
        config.max_response_buffer_size(),
        config.max_active_requests_per_client(),
    );
    let dynamic = factory.dynamic_config();
    let mut declared = DeclaredPorts::default();
    dynamic.list_clients(|details| {
        let port = format!("client {}", details.client_id);
        let (id, buffer) = (details.client_id.value(), details.response_buffer_size);
        declared.buffer(port.clone(), buffer, responses, "maxResponseBufferSize");
        let active = details.max_active_requests;
        declared.buffer(port.clone(), active, requests, "maxActiveRequestsPerClient");
        declared.sender(port, id, details.number_of_requests);
        CallbackProgression::Continue
    });
    dynamic.list_servers(|details| {
        let port = format!("server {}", details.server_id);
        let (id, buffer) = (details.server_id.value(), details.request_buffer_size);
        declared.buffer(port.clone(), buffer, requests, "maxActiveRequestsPerClient");
        declared.sender(port, id, details.number_of_responses);
        CallbackProgression::Continue
    });
    declared.check()
}

fn corrupted(what: String) -> Error {
    Error::new(
        ErrorKind::ServiceInCorruptedState,
        format!(
            "the service's dynamic config is corrupted: {what} (another process wrote into it). \
             No port was created; remove the service (node.forceRemoveService) and create it \
             anew"
        ),
    )
}

/// A service's list of one port kind in its dynamic config: what the ports are called, how many
/// it may hold, and what it holds.
pub(crate) struct PortList<'a> {
    /// The port kind, singular ("server").
    pub(crate) port: &'static str,
    /// The service's limit for them.
    pub(crate) limit: usize,
    /// The count the list keeps, and how many ports listing it yields.
    pub(crate) counts: &'a dyn Fn() -> (usize, usize),
}

/// The [`PortList`] of a service's `port`s (a literal, singular): `$limit` from its static
/// config, counted by its dynamic config's `$count` and listed by its `$list`.
macro_rules! port_list {
    ($factory:expr, $port:literal, $limit:expr, $count:ident, $list:ident) => {
        $crate::capacities::PortList {
            port: $port,
            limit: $limit,
            counts: &|| {
                let config = $factory.dynamic_config();
                let listed = $crate::pattern::listed(|each| config.$list(each), |_| ()).len();
                (config.$count(), listed)
            },
        }
    };
}
pub(crate) use port_list;

/// Creates a port with `create`, which fails with `LimitReached` when iceoryx2 finds no free
/// slot in `list`. The list is full when both its count and its listing say so; otherwise its
/// free-slot chain or its count is broken. After one more try (a port may have come or gone in
/// between) that is reported as a corrupted dynamic config, not as full limits.
pub(crate) fn create_port<P>(
    list: PortList<'_>,
    mut create: impl FnMut() -> Result<P>,
) -> Result<P> {
    let mut counts = (list.limit, list.limit);
    for _ in 0..2 {
        match create() {
            Err(error) if error.kind == ErrorKind::LimitReached => {
                counts = (list.counts)();
                if counts == (list.limit, list.limit) {
                    return Err(error);
                }
            }
            made => return made,
        }
    }
    if let Some(truncated) = crate::shm_guard::truncated_dynamic_config() {
        return Err(truncated);
    }
    let PortList { port, limit, .. } = list;
    let (counted, listed) = counts;
    Err(corrupted(format!(
        "iceoryx2 found no free slot for another {port}, twice, yet of the {limit} {port}s the \
         service may have, its list counts {counted} and holds {listed}"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    fn full() -> Result<()> {
        Err(Error::new(
            ErrorKind::LimitReached,
            "cannot create server: full",
        ))
    }

    #[test]
    fn a_list_counted_and_listed_full_is_full() {
        let tries = Cell::new(0);
        let list = PortList {
            port: "server",
            limit: 2,
            counts: &|| (2, 2),
        };
        let error = create_port(list, || {
            tries.set(tries.get() + 1);
            full()
        })
        .unwrap_err();
        assert_eq!((error.kind, tries.get()), (ErrorKind::LimitReached, 1));
    }

    #[test]
    fn a_list_with_room_that_finds_no_slot_twice_is_corrupted() {
        let list = PortList {
            port: "server",
            limit: 2,
            counts: &|| (2, 1),
        };
        let error = create_port(list, full).unwrap_err();
        assert_eq!(error.kind, ErrorKind::ServiceInCorruptedState);
        assert!(
            error
                .message
                .contains("of the 2 servers the service may have, its list counts 2 and holds 1"),
            "{}",
            error.message
        );
    }

    #[test]
    fn a_slot_freed_between_the_tries_is_taken() {
        let tries = Cell::new(0);
        let list = PortList {
            port: "client",
            limit: 3,
            counts: &|| (2, 2),
        };
        let made = create_port(list, || {
            tries.set(tries.get() + 1);
            if tries.get() == 1 {
                full()
            } else {
                Ok(())
            }
        });
        assert_eq!((made.is_ok(), tries.get()), (true, 2));
    }
}
