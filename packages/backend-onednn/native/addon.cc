// Entry point of the addon: each kernel family lives in its own file and registers its functions here.
#include "common.h"

namespace fixclf {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  ThreadCount();  // applies FIXCLF_ONEDNN_THREADS or the core count before oneDNN first runs
  InitMemory(env, exports);
  InitConv(env, exports);
  InitMatmul(env, exports);
  InitBatchNorm(env, exports);
  InitEltwise(env, exports);
  InitReduce(env, exports);
  InitPool(env, exports);
  InitTransform(env, exports);
  InitCeiling(env, exports);
  InitBf16(env, exports);
  InitOptim(env, exports);
  InitHadamard(env, exports);
  return exports;
}

}  // namespace fixclf

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) { return fixclf::Init(env, exports); }

NODE_API_MODULE(fixclf_onednn, InitAddon)
