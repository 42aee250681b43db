/**
 * Ack-based flow control between a terminal and its viewers, in characters. The host pauses the
 * program's PTY when a viewer holds more than (about) FLOW_HIGH_CHARS unacknowledged and resumes
 * once every viewer is back under FLOW_LOW_CHARS; viewers acknowledge what they have written in
 * batches of ACK_BATCH_CHARS, or after ACK_BATCH_MS for a smaller remainder.
 *
 * The batch is smaller than the low watermark on purpose: a viewer that has caught up holds back
 * less than one batch, which is already under the low mark, so a paused terminal resumes on the
 * acks sent by size and never waits for the timer. The timer only keeps the host's figures fresh,
 * which is why it can be long — each ack crosses two or three processes (viewer → UI host →
 * terminal host and back), and with small batches the acks, not the output, were most of the
 * messages: a 16 KB frame cost four acks at the former 5 000-character batch.
 */
export const FLOW_HIGH_CHARS = 100_000;
export const FLOW_LOW_CHARS = 32_768;
export const ACK_BATCH_CHARS = 16_384;
export const ACK_BATCH_MS = 500;
