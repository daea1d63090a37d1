//! What each publisher of a service can send, so that a received sample cannot claim more.
//!
//! A sample's header says how many elements it carries; iceoryx2 believes it. Each publisher
//! declares its slice capacity (`max_slice_len`) in the service's dynamic config, and its chunks
//! hold that many elements: a claim beyond it reaches into the neighbouring chunks, other
//! messages' bytes. A subscriber remembers the capacities it saw and re-reads them when a sample
//! comes from a publisher it does not know.
//!
//! A publisher whose segments grow (allocation strategy other than static) declares only its
//! first segment's capacity; its later segments hold more. Its samples are checked against the
//! end of their segment only (`crate::spans::check_received`), as every sample is.

use std::rc::Rc;

use iceoryx2::identifiers::UniquePublisherId;
use iceoryx2::port::DataSegmentType;
use iceoryx2::prelude::CallbackProgression;

use crate::error::{Error, ErrorKind, Result};
use crate::objects::PubSubFactory;

/// More samples than a publisher without a data segment file may declare before it counts as
/// garbage ([`check_declared_ports`]).
const UNFILED_SAMPLES: usize = 1 << 20;

/// A subscriber's view of its publishers' slice capacities.
pub(crate) struct PublisherCapacities {
    factory: Rc<PubSubFactory>,
    /// Each publisher seen, with its capacity in elements (`None`: its segments grow).
    known: Vec<(UniquePublisherId, Option<usize>)>,
}

impl PublisherCapacities {
    pub(crate) fn new(factory: Rc<PubSubFactory>) -> Self {
        Self {
            factory,
            known: Vec::new(),
        }
    }

    fn capacity_of(&self, publisher: UniquePublisherId) -> Option<Option<usize>> {
        self.known
            .iter()
            .find(|(id, _)| *id == publisher)
            .map(|&(_, capacity)| capacity)
    }

    /// Re-reads the capacities of the service's publishers now.
    fn refresh(&mut self) {
        use iceoryx2::service::port_factory::PortFactory as _;
        let mut known = Vec::with_capacity(self.known.len() + 1);
        self.factory.dynamic_config().list_publishers(|details| {
            let fixed = details.data_segment_type == DataSegmentType::Static;
            known.push((details.publisher_id, fixed.then_some(details.max_slice_len)));
            CallbackProgression::Continue
        });
        self.known = known;
    }

    /// Checks that a sample from `publisher` claiming `claimed` elements fits that publisher's
    /// chunks. A publisher gone from the service cannot be checked here; the caller's check
    /// against the segment's end still applies to its samples.
    pub(crate) fn check(&mut self, publisher: UniquePublisherId, claimed: u64) -> Result<()> {
        let capacity = match self.capacity_of(publisher) {
            Some(capacity) => capacity,
            None => {
                self.refresh();
                self.capacity_of(publisher).flatten()
            }
        };
        match capacity {
            Some(capacity) if claimed > capacity as u64 => Err(Error::new(
                ErrorKind::InvalidPayload,
                format!(
                    "a peer's message claims {claimed} elements, but its publisher {publisher} \
                     declared slices of at most {capacity} elements: the rest would be other \
                     messages' bytes. The message is released unread (the sending process is \
                     broken or hostile)"
                ),
            )),
            _ => Ok(()),
        }
    }
}

/// Checks what the service's ports declared in its dynamic config before a new port connects to
/// them: iceoryx2 sizes and fills each connection from those numbers, so garbage there (a
/// corrupted file) would have the port creation write gigabytes into `/dev/shm` and not return.
/// A subscriber's buffer cannot exceed the service's limit, and a publisher's samples each take
/// at least a byte of its data segment file.
pub(crate) fn check_declared_ports(factory: &PubSubFactory) -> Result<()> {
    use iceoryx2::service::port_factory::PortFactory as _;
    let limit = factory.static_config().subscriber_max_buffer_size();
    let config = factory.dynamic_config();
    let mut found = Ok(());
    config.list_subscribers(|details| {
        if details.buffer_size > limit {
            found = Err(corrupted(format!(
                "subscriber {} declares a buffer of {} samples, beyond the service's \
                 subscriberMaxBufferSize {limit}",
                details.subscriber_id, details.buffer_size
            )));
            return CallbackProgression::Stop;
        }
        CallbackProgression::Continue
    });
    found?;
    let mut publishers = Vec::new();
    config.list_publishers(|details| {
        publishers.push((details.publisher_id, details.number_of_samples));
        CallbackProgression::Continue
    });
    if publishers.is_empty() {
        return Ok(());
    }
    let files: Vec<(String, u64)> = std::fs::read_dir("/dev/shm")
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|entry| {
                    let name = entry.file_name().into_string().ok()?;
                    name.ends_with(".data")
                        .then(|| Some((name, entry.metadata().ok()?.len())))?
                })
                .collect()
        })
        .unwrap_or_default();
    for (publisher, samples) in publishers {
        let suffix = format!("_{}.data", publisher.value());
        match files.iter().find(|(name, _)| name.ends_with(&suffix)) {
            Some((name, bytes)) if samples as u64 > *bytes => {
                return Err(corrupted(format!(
                    "publisher {publisher} declares {samples} samples, but its data segment \
                     /dev/shm/{name} holds {bytes} bytes"
                )))
            }
            // A publisher being removed may have no file any more; one with no file and more
            // samples than any working one holds is garbage (its id included).
            None if samples > UNFILED_SAMPLES => {
                return Err(corrupted(format!(
                    "publisher {publisher} declares {samples} samples and has no data segment \
                     in /dev/shm"
                )))
            }
            _ => {}
        }
    }
    Ok(())
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
