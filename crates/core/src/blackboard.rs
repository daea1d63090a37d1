//! Blackboard: a key-value store in shared memory, its writer and readers.

use crate::ops::OpTable;

pub(crate) enum BlackboardObject {}

impl BlackboardObject {
    pub(crate) fn kind_name(&self) -> &'static str {
        match *self {}
    }
}

pub(crate) const OPS: OpTable = OpTable {
    call: &[],
    memory: &[],
    send_copy: &[],
    control: &[],
};
