"""torch's CPU random numbers, replayed without torch, for the twins of timm's seeded noise.

timm draws its noise with `torch.Generator().manual_seed(seed)` and one `torch.randn(1)` or
`torch.rand(1)`. On the CPU that generator is the 32-bit Mersenne Twister seeded by
`init_genrand`; a float32 `rand` takes the low 24 bits of one draw; `randn` takes two 53-bit
uniforms (each from two draws, high word first) through Box-Muller, returns `r cos θ` and keeps
`r sin θ` for the next call. A twin that calls torch would check torch against itself.
"""

from __future__ import annotations

import math
import struct

N, M = 624, 397


def float32(x: float) -> float:
    """What `.item()` gives for a float32 tensor holding x."""
    return struct.unpack("f", struct.pack("f", x))[0]


class Generator:
    def __init__(self, seed: int) -> None:
        state = [seed & 0xFFFFFFFF]
        for i in range(1, N):
            state.append((1812433253 * (state[-1] ^ (state[-1] >> 30)) + i) & 0xFFFFFFFF)
        self.state, self.next, self.normal = state, N, None

    def u32(self) -> int:
        if self.next == N:
            s = self.state
            for k in range(N):
                y = (s[k] & 0x80000000) | (s[(k + 1) % N] & 0x7FFFFFFF)
                s[k] = s[(k + M) % N] ^ (y >> 1) ^ (0x9908B0DF if y & 1 else 0)
            self.next = 0
        y = self.state[self.next]
        self.next += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C5680
        y ^= (y << 15) & 0xEFC60000
        return y ^ (y >> 18)

    def uniform53(self) -> float:
        high = self.u32()
        return (((high << 32) | self.u32()) & ((1 << 53) - 1)) * 2.0**-53

    def rand(self) -> float:
        """`torch.rand(1, generator=g).item()`"""
        return float32((self.u32() & ((1 << 24) - 1)) * 2.0**-24)

    def randn(self) -> float:
        """`torch.randn(1, generator=g).item()`"""
        if self.normal is not None:
            value, self.normal = self.normal, None
            return float32(value)
        u1, u2 = self.uniform53(), self.uniform53()
        r, theta = math.sqrt(-2.0 * math.log1p(-u2)), 2.0 * math.pi * u1
        self.normal = r * math.sin(theta)
        return float32(r * math.cos(theta))
