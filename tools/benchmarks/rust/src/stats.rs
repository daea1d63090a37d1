//! Summaries printed on `result` lines (the runner reads the same JSON from every peer).

/// One-way latency of `round_trips` (nanoseconds each): half of each round trip.
pub fn latency_json(round_trips: &mut [u64]) -> String {
    round_trips.sort_unstable();
    let count = round_trips.len();
    let one_way = |ns: u64| ns as f64 / 2.0;
    let quantile = |q: f64| {
        // Nearest rank: the smallest value with at least q of all values at or below it.
        let rank = ((q * count as f64).ceil() as usize).clamp(1, count);
        one_way(round_trips[rank - 1])
    };
    let total: u64 = round_trips.iter().sum();
    format!(
        "{{\"rounds\":{count},\"meanNs\":{:.1},\"medianNs\":{:.1},\"p99Ns\":{:.1},\"p999Ns\":{:.1},\"minNs\":{:.1},\"maxNs\":{:.1}}}",
        total as f64 / (2.0 * count as f64),
        quantile(0.5),
        quantile(0.99),
        quantile(0.999),
        one_way(round_trips[0]),
        one_way(round_trips[count - 1]),
    )
}

pub fn throughput_json(messages: u64, seconds: f64) -> String {
    format!("{{\"messages\":{messages},\"seconds\":{seconds:.6}}}")
}
