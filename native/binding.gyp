{
  "targets": [
    {
      "target_name": "edb_native",
      "sources": [
        "src/addon.cc",
        "src/js_events.cc",
        "src/config_from_js.cc",
        "src/seq_writer.cc",
        "src/wal_writer.cc",
        "src/wal_record.cc",
        "src/segment_pipeline.cc",
        "src/slow_op_watch.cc",
        "src/commit_writer.cc",
        "src/neighbour_writer.cc",
        "src/io_util.cc",
        "src/fio_layout.cc",
        "src/sys_error.cc",
        "src/pacer.cc",
        "src/js_pacer.cc",
        "src/cpu_yield.cc",
        "src/fold.cc",
        "src/fold_for_js.cc"
      ],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")"
      ],
      "dependencies": [
        "<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except"
      ],
      "cflags_cc": ["-std=c++17", "-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
