/* mini-sha256.h — SHA-256 (FIPS 180-4) for the test guest's static programs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tiny guest has no libc beyond what `gcc -static` links in, and no
 * crypto library: mini-vdagent hashes the files it receives with this, so
 * a test can compare the hash with its own (GLib's) of what it sent.
 */
#pragma once

#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct
{
  uint32_t state[8];
  uint64_t length;      /* bytes hashed so far */
  uint8_t block[64];
  size_t have;          /* bytes waiting in block */
} Sha256;

static const uint32_t sha256_k[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define SHA256_ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void
sha256_init (Sha256 *s)
{
  static const uint32_t h0[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
  };

  memcpy (s->state, h0, sizeof h0);
  s->length = 0;
  s->have = 0;
}

static void
sha256_block (Sha256        *s,
              const uint8_t *p)
{
  uint32_t w[64], v[8];

  for (int i = 0; i < 16; i++)
    w[i] = (uint32_t) p[4 * i] << 24 | (uint32_t) p[4 * i + 1] << 16 | (uint32_t) p[4 * i + 2] << 8 | p[4 * i + 3];
  for (int i = 16; i < 64; i++)
    {
      uint32_t s0 = SHA256_ROR (w[i - 15], 7) ^ SHA256_ROR (w[i - 15], 18) ^ (w[i - 15] >> 3);
      uint32_t s1 = SHA256_ROR (w[i - 2], 17) ^ SHA256_ROR (w[i - 2], 19) ^ (w[i - 2] >> 10);

      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }

  memcpy (v, s->state, sizeof v);
  for (int i = 0; i < 64; i++)
    {
      uint32_t S1 = SHA256_ROR (v[4], 6) ^ SHA256_ROR (v[4], 11) ^ SHA256_ROR (v[4], 25);
      uint32_t ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
      uint32_t t1 = v[7] + S1 + ch + sha256_k[i] + w[i];
      uint32_t S0 = SHA256_ROR (v[0], 2) ^ SHA256_ROR (v[0], 13) ^ SHA256_ROR (v[0], 22);
      uint32_t maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);

      memmove (v + 1, v, 7 * sizeof v[0]);
      v[4] += t1;
      v[0] = t1 + S0 + maj;
    }
  for (int i = 0; i < 8; i++)
    s->state[i] += v[i];
}

static void
sha256_update (Sha256        *s,
               const uint8_t *data,
               size_t         len)
{
  s->length += len;
  while (len > 0)
    {
      size_t n = 64 - s->have < len ? 64 - s->have : len;

      memcpy (s->block + s->have, data, n);
      s->have += n;
      data += n;
      len -= n;
      if (s->have == 64)
        {
          sha256_block (s, s->block);
          s->have = 0;
        }
    }
}

/* Writes the digest as 64 lowercase hex digits and a NUL to hex. */
static void
sha256_finish_hex (Sha256 *s,
                   char    hex[65])
{
  uint64_t bits = s->length * 8;
  uint8_t pad = 0x80;

  sha256_update (s, &pad, 1);
  pad = 0;
  while (s->have != 56)
    sha256_update (s, &pad, 1);
  for (int i = 7; i >= 0; i--)
    {
      uint8_t b = bits >> (8 * i);

      sha256_update (s, &b, 1);
    }
  for (int i = 0; i < 8; i++)
    snprintf (hex + 8 * i, 9, "%08x", s->state[i]);
}
