"""Step 6 of a run, the pictures: learning curves and the confusion matrix as PNG files.

matplotlib is imported here, with the Agg backend (files only, no window), so that neither
a display nor matplotlib is needed until a run has something to draw.
"""


def _pyplot():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def save_curve(path, epochs, curves, ylabel):
    """One line per (label, values) in ``curves`` against ``epochs``."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 4))
    for label, values in curves.items():
        ax.plot(epochs, values, marker="o", label=label)
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def save_confusion_matrix(path, counts, classes):
    """counts[i][j] = samples of true class i predicted as j, as a heat map with the counts."""
    plt = _pyplot()
    n = len(classes)
    fig, ax = plt.subplots(figsize=(1.5 + 0.5 * n, 1.2 + 0.5 * n))
    ax.imshow(counts, cmap="Blues")
    ticks = range(n)
    ax.set_xticks(ticks, [str(c) for c in classes], rotation=90 if n > 10 else 0)
    ax.set_yticks(ticks, [str(c) for c in classes])
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    top = max(max(row) for row in counts) or 1
    for i, row in enumerate(counts):
        for j, v in enumerate(row):
            ax.text(j, i, str(v), ha="center", va="center", fontsize=8, color="white" if v > top / 2 else "black")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
