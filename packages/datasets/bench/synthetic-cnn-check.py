# Learnability of the synthetic dataset, checked outside TensorFlow.js: a small CNN (3 conv layers, 24k
# parameters) and softmax regression on pixels, both in plain numpy (im2col + BLAS), trained with Adam 2e-3,
# batch 64, pad-4 crop + flip, on the CIFAR-format export of the synthetic train split, tested on the test split.
#   node bench/synthetic-learnability.mjs --export /tmp/synthetic && python3 bench/synthetic-cnn-check.py /tmp/synthetic 12
# (The TensorFlow.js CPU backend needs ~10 minutes per epoch for the same CNN on this machine.)
import numpy as np, time, sys
rng = np.random.default_rng(0)
def load(files):
    raw = np.concatenate([np.fromfile(f, np.uint8).reshape(-1, 3073) for f in files])
    return raw[:, 1:].reshape(-1, 3, 32, 32).astype(np.float32) / 255, raw[:, 0].astype(np.int64)
root = sys.argv[1]
xtr, ytr = load([f'{root}/data_batch_{i}.bin' for i in range(1, 6)])
xte, yte = load([f'{root}/test_batch.bin'])
m = xtr.mean(axis=(0, 2, 3), keepdims=True); s = xtr.std(axis=(0, 2, 3), keepdims=True)
xtr = (xtr - m) / s; xte = (xte - m) / s

def im2col(x):
    N, C, H, W = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    cols = np.empty((N, H, W, C, 3, 3), np.float32)
    for i in range(3):
        for j in range(3):
            cols[..., i, j] = xp[:, :, i:i + H, j:j + W].transpose(0, 2, 3, 1)
    return cols.reshape(N * H * W, C * 9)
def col2im(d, shape):
    N, C, H, W = shape
    d = d.reshape(N, H, W, C, 3, 3)
    dx = np.zeros((N, C, H + 2, W + 2), np.float32)
    for i in range(3):
        for j in range(3):
            dx[:, :, i:i + H, j:j + W] += d[..., i, j].transpose(0, 3, 1, 2)
    return dx[:, :, 1:-1, 1:-1]

widths = [3, 16, 32, 64]
P = {}
for k in range(3):
    fan = widths[k] * 9
    P[f'W{k}'] = (rng.standard_normal((fan, widths[k + 1])) * np.sqrt(2 / fan)).astype(np.float32)
    P[f'b{k}'] = np.zeros(widths[k + 1], np.float32)
P['Wd'] = (rng.standard_normal((64, 10)) * np.sqrt(1 / 64)).astype(np.float32); P['bd'] = np.zeros(10, np.float32)
M = {k: np.zeros_like(v) for k, v in P.items()}; V = {k: np.zeros_like(v) for k, v in P.items()}

def forward(x, keep):
    cache = []
    for k in range(3):
        N, C, H, W = x.shape
        cols = im2col(x)
        y = (cols @ P[f'W{k}'] + P[f'b{k}']).reshape(N, H, W, -1).transpose(0, 3, 1, 2)
        r = np.maximum(y, 0)
        if k < 2:
            p = r.reshape(N, r.shape[1], H // 2, 2, W // 2, 2).max(axis=(3, 5))
            cache.append((cols, x.shape, y, r, p)); x = p
        else:
            cache.append((cols, x.shape, y, r, None)); x = r
    g = x.mean(axis=(2, 3))
    logits = g @ P['Wd'] + P['bd']
    return logits, (cache, g, x.shape)

def backward(logits, y, state):
    cache, g, shape = state
    N = logits.shape[0]
    p = np.exp(logits - logits.max(1, keepdims=True)); p /= p.sum(1, keepdims=True)
    loss = -np.log(p[np.arange(N), y] + 1e-12).mean()
    d = p; d[np.arange(N), y] -= 1; d /= N
    G = {'Wd': g.T @ d, 'bd': d.sum(0)}
    dg = d @ P['Wd'].T
    dx = np.broadcast_to(dg[:, :, None, None] / (shape[2] * shape[3]), shape).astype(np.float32)
    for k in (2, 1, 0):
        cols, xshape, yv, r, pooled = cache[k]
        if pooled is not None:
            Nn, C, H, W = r.shape
            up = np.repeat(np.repeat(pooled, 2, 2), 2, 3)
            mask = (r == up)
            dx = np.repeat(np.repeat(dx, 2, 2), 2, 3) * mask
        dy = dx * (yv > 0)
        dyf = dy.transpose(0, 2, 3, 1).reshape(-1, dy.shape[1])
        G[f'W{k}'] = cols.T @ dyf; G[f'b{k}'] = dyf.sum(0)
        if k > 0: dx = col2im(dyf @ P[f'W{k}'].T, xshape)
    return loss, G

def augment(x):
    N = x.shape[0]
    xp = np.pad(x, ((0, 0), (0, 0), (4, 4), (4, 4)))
    out = np.empty_like(x)
    ox = rng.integers(0, 9, N); oy = rng.integers(0, 9, N); fl = rng.random(N) < 0.5
    for n in range(N):
        c = xp[n, :, oy[n]:oy[n] + 32, ox[n]:ox[n] + 32]
        out[n] = c[:, :, ::-1] if fl[n] else c
    return out

def accuracy(x, y):
    correct = 0
    for i in range(0, len(x), 500):
        logits, _ = forward(x[i:i + 500], False)
        correct += (logits.argmax(1) == y[i:i + 500]).sum()
    return correct / len(x)

epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 12
lr, b1, b2 = 2e-3, 0.9, 0.999

# Softmax regression on the (augmented) pixels: the linear baseline.
Wl = np.zeros((3 * 32 * 32, 10), np.float32); bl = np.zeros(10, np.float32)
Ml = [np.zeros_like(Wl), np.zeros_like(bl)]; Vl = [np.zeros_like(Wl), np.zeros_like(bl)]
start = time.time(); t = 0
for epoch in range(epochs):
    order = rng.permutation(len(xtr))
    for i in range(0, len(order) - 63, 64):
        idx = order[i:i + 64]; xb = augment(xtr[idx]).reshape(64, -1)
        z = xb @ Wl + bl; p = np.exp(z - z.max(1, keepdims=True)); p /= p.sum(1, keepdims=True)
        p[np.arange(64), ytr[idx]] -= 1; p /= 64
        t += 1
        for k, (param, grad) in enumerate(((Wl, xb.T @ p), (bl, p.sum(0)))):
            Ml[k] = b1 * Ml[k] + (1 - b1) * grad; Vl[k] = b2 * Vl[k] + (1 - b2) * grad ** 2
            param -= lr * (Ml[k] / (1 - b1 ** t)) / (np.sqrt(Vl[k] / (1 - b2 ** t)) + 1e-8)
    acc = ((xte.reshape(len(xte), -1) @ Wl + bl).argmax(1) == yte).mean()
    print(f'linear, epoch {epoch + 1}: test accuracy {100 * acc:.1f} %, {time.time() - start:.0f} s', flush=True)

t = 0
start = time.time()
for epoch in range(epochs):
    order = rng.permutation(len(xtr)); losses = []
    for i in range(0, len(order) - 63, 64):
        idx = order[i:i + 64]
        logits, state = forward(augment(xtr[idx]), True)
        loss, G = backward(logits, ytr[idx], state); losses.append(loss)
        t += 1
        for k in P:
            M[k] = b1 * M[k] + (1 - b1) * G[k]; V[k] = b2 * V[k] + (1 - b2) * G[k] ** 2
            P[k] -= lr * (M[k] / (1 - b1 ** t)) / (np.sqrt(V[k] / (1 - b2 ** t)) + 1e-8)
    print(f'CNN, epoch {epoch + 1}: loss {np.mean(losses):.3f}, test accuracy {100 * accuracy(xte, yte):.1f} %, {time.time() - start:.0f} s', flush=True)
