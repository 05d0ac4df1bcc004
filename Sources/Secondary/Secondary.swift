// The Secondary module: QEMU's filter-rewriter as a sans-I/O engine (spec §8).
//
//   Engine/    FilterRewriter — frames in, decisions and rewritten copies out (RW-2..RW-15)
//   Checksum/  the TCP checksum recomputation of RW-13, QEMU's placement quirk included
//   Queue/     the rewriter's private net queue (RW-6, RW-16) and the engine+queue pairing
//   Capture/   rewriting a whole capture with timed checkpoints/failover, and its reports
//   Bench/     an in-process throughput measurement
import Fabric
