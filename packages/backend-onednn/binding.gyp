{
  "variables": {
    "onednn_include%": "<!(node -p \"process.env.FIXCLF_ONEDNN_INCLUDE || '/usr/include'\")",
    "portable%": "<!(node -p \"require('./scripts/build-state.cjs').portableRequested(process.env) ? 1 : 0\")"
  },
  "targets": [
    {
      "target_name": "fixclf_onednn",
      "sources": [
        "native/addon.cc",
        "native/common.cc",
        "native/memory.cc",
        "native/conv.cc",
        "native/matmul.cc",
        "native/batch-norm.cc",
        "native/eltwise.cc",
        "native/reduce.cc",
        "native/pool.cc",
        "native/transform.cc",
        "native/ceiling.cc",
        "native/bf16.cc",
        "native/optim.cc",
        "native/hadamard.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "<(onednn_include)"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc": ["-std=c++17", "-O3", "-fexceptions", "-Wall", "-Wno-unknown-pragmas"],
      "conditions": [
        ["portable==0", { "cflags_cc": ["-march=native"] }],
        ["OS=='linux'", {
          "cflags_cc": ["-fopenmp"],
          "libraries": ["-L<(onednn_include)/../lib", "-ldnnl", "-fopenmp", "-Wl,-rpath,<(onednn_include)/../lib"]
        }],
        ["OS=='mac'", {
          "libraries": ["-L<(onednn_include)/../lib", "-ldnnl", "-Wl,-rpath,<(onednn_include)/../lib"],
          "xcode_settings": {
            "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
            "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
            "OTHER_CPLUSPLUSFLAGS": ["-O3"],
            "MACOSX_DEPLOYMENT_TARGET": "11.0"
          }
        }]
      ]
    }
  ]
}
