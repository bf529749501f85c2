#!/usr/bin/env python3
"""The workloads of the benchmark executable (W2 to W5 of shared/BENCHMARKS.md) in
JAX (under jit) and PyTorch (eager, CPU), float64, for figures measured the same
day on the same machine as leibniz-bench's.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install numpy jax torch
    /tmp/venv/bin/python Benchmarks/reference/reference.py            # everything
    /tmp/venv/bin/python Benchmarks/reference/reference.py torch-w4   # one group

Each line: `group | variant | min | median | unit`, the minimum and median over
rounds of the mean time per call (as leibniz-bench reports). Every result is
first checked against a hand-coded gradient or central differences.
"""
import math, sys, time


def timed(f, calls, rounds=15):
    f()
    per = []
    for _ in range(rounds):
        t = time.perf_counter()
        for _ in range(calls):
            f()
        per.append((time.perf_counter() - t) / calls)
    per.sort()
    return per[0], per[len(per) // 2]


def report(group, variant, times, scale, unit):
    print(f"{group} | {variant} | {times[0] * scale:.4g} | {times[1] * scale:.4g} | {unit}", flush=True)


def w2_point(n):
    return [0.5 + 0.001 * (i % 100) for i in range(n)]


def w2_hand(x):
    n = len(x)
    g = [0.0] * n
    for i in range(n - 1):
        t = x[i + 1] - x[i] * x[i]
        g[i] += -400 * t * x[i] - 2 * (1 - x[i])
        g[i + 1] += 200 * t
    return g


def check(name, got, want, tol):
    for i, (a, b) in enumerate(zip(got, want)):
        if abs(a - b) > tol * max(1.0, abs(b)):
            sys.exit(f"reference check failed: {name}[{i}] = {a}, expected {b}")


# MARK: - JAX

def jax_groups():
    import jax
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp

    for n in (100, 10_000):
        x = jnp.array(w2_point(n))

        def loop(x):
            def body(i, s):
                t = x[i + 1] - x[i] * x[i]
                u = 1 - x[i]
                return s + 100 * t * t + u * u
            return jax.lax.fori_loop(0, x.shape[0] - 1, body, jnp.float64(0))

        def vectorised(x):
            t = x[1:] - x[:-1] ** 2
            return jnp.sum(100 * t * t + (1 - x[:-1]) ** 2)

        hand = w2_hand(w2_point(n))
        for name, f in (("fori_loop", loop), ("vectorised", vectorised)):
            g = jax.jit(jax.grad(f))
            check(f"jax W2 {name}", list(g(x).block_until_ready()), hand, 1e-12)
            calls = 200 if n <= 100 else 20
            report(f"jax W2 n={n}", f"grad, {name}", timed(lambda: g(x).block_until_ready(), calls), 1e6, "µs")
        p = jax.jit(vectorised)
        report(f"jax W2 n={n}", "primal, vectorised", timed(lambda: p(x).block_until_ready(), 200), 1e6, "µs")

    # W3: F(x)_i = tanh(Σ_j A_ij x_j)·x_i + sin(x_{(i+1) mod n}), jacfwd and jacrev.
    n = 64
    a = jnp.array([[math.sin(i + 2 * j) / n for j in range(n)] for i in range(n)])
    x = jnp.array([0.1 * math.cos(j) for j in range(n)])

    def w3(x):
        return jnp.tanh(a @ x) * x + jnp.sin(jnp.roll(x, -1))

    t = jnp.tanh(a @ x)
    hand = (1 - t * t)[:, None] * a * x[:, None] + jnp.diag(t) + jnp.roll(jnp.diag(jnp.cos(jnp.roll(x, -1))), 1, axis=1)
    for name, jac in (("jacfwd", jax.jacfwd), ("jacrev", jax.jacrev)):
        j = jax.jit(jac(w3))
        check(f"jax W3 {name}", list(j(x).ravel()), list(hand.ravel()), 1e-12)
        report("jax W3 n=64", name, timed(lambda: j(x).block_until_ready(), 200), 1e6, "µs")
    p = jax.jit(w3)
    report("jax W3 n=64", "primal", timed(lambda: p(x).block_until_ready(), 200), 1e6, "µs")

    # W5: y = x (4 values); 100 times y = sin(y)·1.01 + 0.5; loss = sum(y).
    x5 = jnp.array([0.1, 0.2, 0.3, 0.4])

    def w5(x):
        return jnp.sum(jax.lax.fori_loop(0, 100, lambda _, y: jnp.sin(y) * 1.01 + 0.5, x))

    g5 = jax.jit(jax.grad(w5))
    report("jax W5", "forward + backward (ns per op)", timed(lambda: g5(x5).block_until_ready(), 200), 1e9 / 300, "ns/op")


# MARK: - PyTorch

def torch_groups(only_w4=False):
    import torch
    torch.set_default_dtype(torch.float64)

    # W4: MLP 256 → 256 → 256 → 10, batch 64, tanh after the hidden layers, MSE.
    sizes = [256, 256, 256, 10]
    weights = []
    biases = []
    for k in range(3):
        m, n = sizes[k], sizes[k + 1]
        w = torch.tensor([[math.sin(k * 1000 + i * 7 + j) * 0.05 for j in range(n)] for i in range(m)])
        weights.append(w.requires_grad_())
        biases.append(torch.tensor([math.cos(k * 100 + j) * 0.01 for j in range(n)]).requires_grad_())
    x = torch.tensor([[math.sin((b * 3 + i) * 0.1) for i in range(256)] for b in range(64)])
    target = torch.tensor([[math.cos((b + j * 5) * 0.3) * 0.5 for j in range(10)] for b in range(64)])

    def loss():
        h = x
        for k in range(3):
            h = h @ weights[k] + biases[k]
            if k < 2:
                h = torch.tanh(h)
        d = h - target
        return (d * d).mean()

    params = weights + biases

    def step():
        return torch.autograd.grad(loss(), params)

    def forward():
        with torch.no_grad():
            return loss().item()

    g = step()
    with torch.no_grad():
        for k, idx in ((0, 5), (1, 300), (2, 17), (3, 3), (5, 9)):
            p = params[k].view(-1)
            h = 1e-5
            p[idx] += h
            up = loss().item()
            p[idx] -= 2 * h
            down = loss().item()
            p[idx] += h
            fd = (up - down) / (2 * h)
            got = g[k].reshape(-1)[idx].item()
            if abs(got - fd) > 1e-6 * abs(fd) + 1e-10:
                sys.exit(f"reference check failed: torch W4 gradient {k}[{idx}] = {got}, central differences {fd}")
    report("torch W4", "forward only", timed(forward, 5, 31), 1e3, "ms")
    report("torch W4", "training step (forward + backward)", timed(step, 5, 31), 1e3, "ms")
    if only_w4:
        return

    # W2 vectorised (the scalar loop takes over a second at n = 10,000).
    for n in (100, 10_000):
        xs = torch.tensor(w2_point(n), requires_grad=True)

        def grad():
            t = xs[1:] - xs[:-1] ** 2
            f = torch.sum(100 * t * t + (1 - xs[:-1]) ** 2)
            return torch.autograd.grad(f, xs)[0]

        check("torch W2 vectorised", grad().tolist(), w2_hand(w2_point(n)), 1e-12)
        report(f"torch W2 n={n}", "grad, vectorised", timed(grad, 20), 1e6, "µs")

    # W5 as in the benchmark executable.
    x5 = torch.tensor([0.1, 0.2, 0.3, 0.4], requires_grad=True)

    def w5():
        y = x5
        for _ in range(100):
            y = torch.sin(y) * 1.01 + 0.5
        return torch.autograd.grad(y.sum(), x5)[0]

    report("torch W5", "forward + backward (ns per op)", timed(w5, 20), 1e9 / 300, "ns/op")


if __name__ == "__main__":
    which = sys.argv[1] if len(sys.argv) > 1 else "all"
    if which in ("all", "jax"):
        jax_groups()
    if which in ("all", "torch"):
        torch_groups()
    if which == "torch-w4":
        torch_groups(only_w4=True)
