"""What every pitfall's code starts with: torch, one parameter and an SGD optimizer."""


def misuse(body: str, imports: str = "", optimizer: str = "torch.optim.SGD(params, lr=0.1)") -> str:
    """Pitfall code: the shared set-up, then `body`, the misuse itself."""
    head = "import torch\n" + (f"{imports}\n" if imports else "")
    return f"{head}\nparams = [torch.nn.Parameter(torch.zeros(1))]\noptimizer = {optimizer}\n{body.strip()}\n"
