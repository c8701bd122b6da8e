/*
 * CRC-64/NVME (reflected polynomial 0x9a6c9329ac4bc9b5, initial value and final XOR all ones) as
 * a Node-API addon. On x86-64 with PCLMULQDQ the data is folded eight 128-bit blocks at a time
 * with carry-less multiplication (Intel, "Fast CRC Computation for Generic Polynomials Using
 * PCLMULQDQ"); elsewhere, and for short inputs, a slice-by-8 table. Both give the same answers;
 * the choice is made once, at load, from the CPU's features.
 *
 * JavaScript: crc64(data, previous) -> bigint, where data is any ArrayBufferView and previous is
 * the value a former call returned for the bytes before it (0n or undefined to start).
 * crc64Table(data, previous) always uses the table (tests). `simd` names the path crc64 takes.
 */
#define NAPI_VERSION 6
#include <node_api.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "constants.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define KURA_X86_CLMUL 1
#include <immintrin.h>
#endif

/* ------------------------------------------------------------ slice-by-8 */

static uint64_t table[8][256];

static void init_tables(void) {
  for (int b = 0; b < 256; b++) table[0][b] = crc64nvme_table0[b];
  for (int k = 1; k < 8; k++)
    for (int b = 0; b < 256; b++)
      table[k][b] = (table[k - 1][b] >> 8) ^ table[0][table[k - 1][b] & 0xff];
}

static inline uint64_t load64le(const uint8_t *p) {
  uint64_t v;
  memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  v = __builtin_bswap64(v);
#endif
  return v;
}

/* The register after the bytes p[0..n), from register crc (no initial value, no final XOR). */
static uint64_t crc_table(uint64_t crc, const uint8_t *p, size_t n) {
  while (n && ((uintptr_t)p & 7)) {
    crc = table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
    n--;
  }
  while (n >= 8) {
    crc ^= load64le(p);
    crc = table[7][crc & 0xff] ^ table[6][(crc >> 8) & 0xff] ^ table[5][(crc >> 16) & 0xff] ^
          table[4][(crc >> 24) & 0xff] ^ table[3][(crc >> 32) & 0xff] ^
          table[2][(crc >> 40) & 0xff] ^ table[1][(crc >> 48) & 0xff] ^ table[0][crc >> 56];
    p += 8;
    n -= 8;
  }
  while (n--) crc = table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
  return crc;
}

/* ------------------------------------------------------------ PCLMULQDQ folding */

#ifdef KURA_X86_CLMUL
/*
 * x carried forward by the distance k was made for (k's low half multiplies x's first 8 bytes,
 * its high half the next 8), XORed with the next block: constants.mjs explains the constants.
 */
__attribute__((target("pclmul,sse2"))) static inline __m128i fold(__m128i x, __m128i k,
                                                                   __m128i next) {
  return _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x, k, 0x00),
                                     _mm_clmulepi64_si128(x, k, 0x11)),
                       next);
}

#define LOAD(p) _mm_loadu_si128((const __m128i *)(p))

/* Needs n >= 128. The register after p[0..n), from register crc. */
__attribute__((target("pclmul,sse2"))) static uint64_t crc_clmul(uint64_t crc, const uint8_t *p,
                                                                size_t n) {
  const __m128i k1024 = _mm_set_epi64x((long long)FOLD_1024_L, (long long)FOLD_1024_H);
  const __m128i k128 = _mm_set_epi64x((long long)FOLD_128_L, (long long)FOLD_128_H);
  /* The register stands for the polynomial before the data: XORing it into the first 8 bytes
     puts it where the data's own first 64 bits are, which is the same as carrying it along. */
  __m128i x0 = _mm_xor_si128(LOAD(p), _mm_cvtsi64_si128((long long)crc));
  __m128i x1 = LOAD(p + 16), x2 = LOAD(p + 32), x3 = LOAD(p + 48);
  __m128i x4 = LOAD(p + 64), x5 = LOAD(p + 80), x6 = LOAD(p + 96), x7 = LOAD(p + 112);
  p += 128;
  n -= 128;
  while (n >= 128) {
    x0 = fold(x0, k1024, LOAD(p));
    x1 = fold(x1, k1024, LOAD(p + 16));
    x2 = fold(x2, k1024, LOAD(p + 32));
    x3 = fold(x3, k1024, LOAD(p + 48));
    x4 = fold(x4, k1024, LOAD(p + 64));
    x5 = fold(x5, k1024, LOAD(p + 80));
    x6 = fold(x6, k1024, LOAD(p + 96));
    x7 = fold(x7, k1024, LOAD(p + 112));
    p += 128;
    n -= 128;
  }
  __m128i x = fold(x0, k128, x1);
  x = fold(x, k128, x2);
  x = fold(x, k128, x3);
  x = fold(x, k128, x4);
  x = fold(x, k128, x5);
  x = fold(x, k128, x6);
  x = fold(x, k128, x7);
  while (n >= 16) {
    x = fold(x, k128, LOAD(p));
    p += 16;
    n -= 16;
  }
  /* What is left is the 128-bit x followed by n < 16 bytes, congruent to all the data (with the
     register folded in): its CRC from a zero register is the answer. */
  uint8_t rest[32];
  _mm_storeu_si128((__m128i *)rest, x);
  memcpy(rest + 16, p, n);
  return crc_table(0, rest, 16 + n);
}

static int has_clmul(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse2");
}
#endif

static int use_clmul = 0;

static uint64_t crc64nvme(uint64_t previous, const uint8_t *p, size_t n, int allow_simd) {
  uint64_t crc = ~previous;
#ifdef KURA_X86_CLMUL
  if (allow_simd && use_clmul && n >= 256) return ~crc_clmul(crc, p, n);
#else
  (void)allow_simd;
#endif
  return ~crc_table(crc, p, n);
}

/* ------------------------------------------------------------ Node-API */

static napi_value throw_type(napi_env env, const char *message) {
  napi_throw_type_error(env, NULL, message);
  return NULL;
}

static size_t element_size(napi_typedarray_type t) {
  switch (t) {
    case napi_int16_array:
    case napi_uint16_array:
      return 2;
    case napi_int32_array:
    case napi_uint32_array:
    case napi_float32_array:
      return 4;
    case napi_float64_array:
    case napi_bigint64_array:
    case napi_biguint64_array:
      return 8;
    default:
      return 1;
  }
}

static napi_value call(napi_env env, napi_callback_info info, int allow_simd) {
  size_t argc = 2;
  napi_value argv[2];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
  if (argc < 1) return throw_type(env, "crc64nvme: data must be an ArrayBufferView");

  const uint8_t *data = NULL;
  size_t length = 0;
  bool is;
  napi_is_typedarray(env, argv[0], &is);
  if (is) {
    napi_typedarray_type type;
    size_t count;
    void *p;
    if (napi_get_typedarray_info(env, argv[0], &type, &count, &p, NULL, NULL) != napi_ok)
      return NULL;
    data = p;
    length = count * element_size(type);
  } else {
    napi_is_dataview(env, argv[0], &is);
    if (!is) return throw_type(env, "crc64nvme: data must be an ArrayBufferView");
    void *p;
    if (napi_get_dataview_info(env, argv[0], &length, &p, NULL, NULL) != napi_ok) return NULL;
    data = p;
  }

  uint64_t previous = 0;
  if (argc >= 2) {
    napi_valuetype t;
    napi_typeof(env, argv[1], &t);
    if (t == napi_bigint) {
      bool lossless;
      if (napi_get_value_bigint_uint64(env, argv[1], &previous, &lossless) != napi_ok) return NULL;
      if (!lossless) return throw_type(env, "crc64nvme: previous must be a 64-bit unsigned bigint");
    } else if (t != napi_undefined) {
      return throw_type(env, "crc64nvme: previous must be a bigint or undefined");
    }
  }

  napi_value result;
  if (napi_create_bigint_uint64(env, crc64nvme(previous, data, length, allow_simd), &result) !=
      napi_ok)
    return NULL;
  return result;
}

static napi_value js_crc64(napi_env env, napi_callback_info info) { return call(env, info, 1); }
static napi_value js_crc64_table(napi_env env, napi_callback_info info) {
  return call(env, info, 0);
}

static napi_value init(napi_env env, napi_value exports) {
  init_tables();
#ifdef KURA_X86_CLMUL
  use_clmul = has_clmul();
#endif
  napi_value simd;
  napi_create_string_utf8(env, use_clmul ? "pclmulqdq" : "none", NAPI_AUTO_LENGTH, &simd);
  napi_property_descriptor props[] = {
      {"crc64", NULL, js_crc64, NULL, NULL, NULL, napi_enumerable, NULL},
      {"crc64Table", NULL, js_crc64_table, NULL, NULL, NULL, napi_enumerable, NULL},
      {"simd", NULL, NULL, NULL, NULL, simd, napi_enumerable, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok)
    return NULL;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
