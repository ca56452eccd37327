// What JS may rely on, in one place: the ABI version (raise it with any change
// to configs, events, sample layout, streams, counters or exported functions),
// the event kinds and stream indices each call into JS carries, and every
// counter name a writer reports in its summary. src/native/abi.ts declares the
// same; the addon exports both and the JS side refuses a build that differs.
#pragma once

namespace edb {

constexpr int ABI_VERSION = 7;

// Each event reaches JS as one call, its kind first: (kPrepared, prepareNs,
// tid), (kSamples, stream index, Float64Array), (kFolded, stream index,
// Float64Array: a chunk, fold.h), (kDone, summary) or (kFailed, error, summary). Numbers rather than objects and names: nothing per batch
// for the JS thread to allocate, and one shape for V8 to optimise.
enum EventKind : int { kPrepared = 0, kSamples = 1, kDone = 2, kFailed = 3, kFolded = 4 };

// The sample streams, by the index a kSamples event carries.
constexpr const char* STREAM_NAMES[] = {"seq", "wal", "cut", "cutsync", "commit", "slowop"};

namespace counter {
constexpr const char* kSegments = "segments";
constexpr const char* kCuts = "cuts";
constexpr const char* kDirFsyncs = "dirFsyncs";
constexpr const char* kRecords = "records";
constexpr const char* kPurged = "purged";
constexpr const char* kVoluntarySwitches = "voluntarySwitches";
constexpr const char* kInvoluntarySwitches = "involuntarySwitches";
constexpr const char* kPagesWritten = "pagesWritten";
constexpr const char* kGrows = "grows";
constexpr const char* kFileBytes = "fileBytes";
// WAL segments preallocated by extending with ftruncate: fallocate was not supported (etcd's fallback).
constexpr const char* kPreallocFallbacks = "preallocFallbacks";
}  // namespace counter

constexpr const char* COUNTER_NAMES[] = {
    counter::kSegments,     counter::kCuts,  counter::kDirFsyncs,  counter::kRecords,
    counter::kPurged,       counter::kVoluntarySwitches, counter::kInvoluntarySwitches,
    counter::kPagesWritten, counter::kGrows, counter::kFileBytes, counter::kPreallocFallbacks,
};

}  // namespace edb
