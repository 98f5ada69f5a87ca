"""A character-level LSTM that learns a paragraph and writes text like it (seed 004).

Plain PyTorch code: run it on PyTorch (``python examples/char_lstm.py``) or unchanged on
ember (``python -m ember run examples/char_lstm.py``); with the same seed both print the
same losses and the same generated text.

Each character of ``string.printable`` (100 of them) is a class. The model reads a chunk of
text one character at a time (Embedding -> LSTM -> Linear) and at every position predicts
the next character; the loss is cross-entropy over the 100 classes. Generation feeds the
model its own samples, carrying the LSTM's (h, c) state from one character to the next.
"""
import argparse
import string

import torch
from torch import nn

try:
    from unidecode import unidecode  # turns curly quotes, accents... into ASCII
except ImportError:  # optional: the text below is plain ASCII already
    def unidecode(text):
        return text

ALL_CHARACTERS = string.printable
N_CHARACTERS = len(ALL_CHARACTERS)

# A paragraph written for this example (free to use): the model only has to memorise it.
TEXT = """\
The lamplighter came down the hill at dusk, as he had done every evening for forty years.
He carried a long pole with a small flame at its end, and one by one the lamps of the
village woke under his hand. The children followed him along the river road, counting the
lights, and the old dog of the baker walked beside them as if it were his own duty. When
the last lamp was lit he stood on the bridge and looked back at the little row of stars he
had made, then he went home to his supper, and the village slept in their light.
"""


def char_tensor(text):
    """The indices of the characters of ``text`` in ALL_CHARACTERS, as a LongTensor."""
    return torch.tensor([ALL_CHARACTERS.index(c) for c in text], dtype=torch.long)


class CharRNN(nn.Module):
    def __init__(self, n_chars, embed_size, hidden_size, num_layers):
        super().__init__()
        self.embed = nn.Embedding(n_chars, embed_size)
        self.lstm = nn.LSTM(embed_size, hidden_size, num_layers=num_layers, batch_first=True)
        self.decoder = nn.Linear(hidden_size, n_chars)

    def forward(self, chars, state=None):
        """chars: (batch, length) indices -> logits (batch, length, n_chars), new (h, c)."""
        out, state = self.lstm(self.embed(chars), state)
        return self.decoder(out), state


def random_batch(data, chunk_len, batch_size):
    """``batch_size`` random chunks of the text: inputs and the same shifted by one character."""
    starts = torch.randint(0, len(data) - chunk_len - 1, (batch_size,))
    chunks = torch.stack([data[s:s + chunk_len + 1] for s in starts.tolist()])
    return chunks[:, :-1], chunks[:, 1:]


def sample_index(logits, temperature):
    """Draw one index from softmax(logits / temperature): a lower temperature sharpens the
    distribution towards the likeliest character, a higher one flattens it."""
    probs = torch.softmax(logits / temperature, dim=-1)
    return int(torch.multinomial(probs, 1).item())


def generate(model, prime, length, temperature):
    model.eval()
    with torch.no_grad():
        # run the prime through the model to build up its state, then sample
        logits, state = model(char_tensor(prime).unsqueeze(0))
        text = prime
        for _ in range(length):
            index = sample_index(logits[0, -1], temperature)
            text += ALL_CHARACTERS[index]
            logits, state = model(torch.tensor([[index]]), state)
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=300, help="training steps (one random batch each)")
    parser.add_argument("--epochs", type=int, default=1, help="repeat the steps this many times")
    parser.add_argument("--limit", type=int, default=0, help="train on the first N characters only (0: all)")
    parser.add_argument("--chunk-len", type=int, default=40)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--lr", type=float, default=5e-3)
    parser.add_argument("--log-every", type=int, default=50)
    parser.add_argument("--predict-len", type=int, default=200)
    parser.add_argument("--temperature", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    torch.manual_seed(args.seed)  # same weights, batches and samples on PyTorch and ember

    text = "".join(c for c in unidecode(TEXT) if c in ALL_CHARACTERS)
    if args.limit:
        text = text[:args.limit]
    data = char_tensor(text)
    print(f"{len(text)} characters, {len(set(text))} distinct, alphabet of {N_CHARACTERS}")

    model = CharRNN(N_CHARACTERS, 32, args.hidden, args.layers)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    loss_fn = nn.CrossEntropyLoss()
    step = 0
    for epoch in range(args.epochs):
        for _ in range(args.steps):
            model.train()
            inputs, targets = random_batch(data, args.chunk_len, args.batch_size)
            logits, _ = model(inputs)
            # CrossEntropyLoss wants (N, classes): every position of every chunk is a sample
            loss = loss_fn(logits.reshape(-1, N_CHARACTERS), targets.reshape(-1))
            optimizer.zero_grad()
            loss.backward()
            # LSTMs can have exploding gradients through long sequences: cap their norm
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            step += 1
            if step % args.log_every == 0:
                print(f"step {step:4d}  loss {loss.item():.4f}")

    print("--- sample ---")
    print(generate(model, "The ", args.predict_len, args.temperature))


if __name__ == "__main__":
    main()
