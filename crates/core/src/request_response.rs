//! Request-response: services, clients, servers, requests, responses and their streams.

use crate::ops::OpTable;

pub(crate) enum RequestResponseObject {}

impl RequestResponseObject {
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
