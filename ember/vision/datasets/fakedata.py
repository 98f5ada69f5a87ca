"""``FakeData``: random images that are the same every time for the same index."""
from ... import get_rng_state, long, manual_seed, randint, randn, set_rng_state
from .. import transforms
from .vision import VisionDataset


class FakeData(VisionDataset):
    """``size`` random PIL images of shape ``image_size`` (C, H, W) with random labels in
    ``[0, num_classes)``. Sample ``i`` is drawn like torchvision draws it: the global
    generator is seeded with ``i + random_offset``, ``randn(*image_size)`` gives the image
    and ``randint(0, num_classes, (1,))`` the label, then the generator's previous state is
    restored (so the dataset does not disturb the caller's random numbers). The image
    becomes a PIL image through ``ToPILImage`` (x * 255, cut to uint8)."""

    def __init__(self, size=1000, image_size=(3, 224, 224), num_classes=10, transform=None, target_transform=None,
                 random_offset=0):
        super().__init__(transform=transform, target_transform=target_transform)
        self.size = size
        self.num_classes = num_classes
        self.image_size = image_size
        self.random_offset = random_offset

    def __getitem__(self, index):
        if index >= len(self):
            raise IndexError(f"{self.__class__.__name__} index out of range")
        rng_state = get_rng_state()
        manual_seed(index + self.random_offset)
        img = randn(*self.image_size)
        target = randint(0, self.num_classes, size=(1,), dtype=long)[0]
        set_rng_state(rng_state)
        img, target = self._apply(transforms.ToPILImage()(img), target)
        return img, target.item()

    def __len__(self):
        return self.size
