//! Discovery: listing services and nodes, service details, dead-node cleanup, and config.

use crate::ops::OpTable;

pub(crate) const OPS: OpTable = OpTable {
    call: &[],
    memory: &[],
    send_copy: &[],
    control: &[],
};
