// What JS may rely on, in one place: the ABI version (raise it with any change
// to configs, events, sample layout or counters) and every counter name a
// writer reports in its summary. src/native/abi.ts declares the same;
// the addon exports both and the JS side refuses a build that differs.
#pragma once

namespace edb {

constexpr int ABI_VERSION = 3;

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
