"""Random numbers: placeholder until the MT19937 generator lands."""
FUNCTIONS = {}


def manual_seed(s):
    pass


seed = initial_seed = Generator = default_generator = get_rng_state = set_rng_state = manual_seed
