"""The embedded backend as a LangChain chat model: SmolLM2-135M-Instruct on CPU via transformers.

One model per process (studio.generate.model_cache), generation serialised by its lock.
`n` returns several sampled candidates from one batched generate call (best-of-N is cheap).
A trailing AIMessage is continued rather than answered (prefilled assistant start).
"""

from __future__ import annotations

import threading
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from studio.generate.errors import GenerationError
from studio.generate.model_cache import MODEL_NAME, load_embedded_model


_stop_cache: dict[tuple[int, str], list[int]] = {}
_stop_lock = threading.Lock()


def stop_token_ids(tok, stops: list[str]) -> list[int]:
    """Every vocabulary token whose text contains a stop string ("\n" is in 129 SmolLM2 tokens).

    Ending generation on these ids is as cheap as EOS; transformers' `stop_strings` criterion
    re-checks decoded text every step. A stop spanning two tokens is still cut afterwards."""
    out: set[int] = set()
    for stop in stops:
        key = (id(tok), stop)
        with _stop_lock:
            if key not in _stop_cache:
                vocab = tok.get_vocab()
                _stop_cache[key] = sorted(i for t, i in vocab.items() if stop in tok.convert_tokens_to_string([t]))
            out.update(_stop_cache[key])
    return sorted(out)


_latin_cache: dict[int, list[int]] = {}


def _foreign(text: str) -> bool:
    return any("a" <= c.lower() <= "z" or "\u3040" <= c <= "\u30ff" for c in text)


def latin_token_ids(tok) -> list[int]:
    """Tokens with ASCII letters or Japanese kana: suppressed when writing Chinese, so the tiny model
    cannot drift into English or Japanese mid-note (its most common failure in Chinese, which made
    whole candidates fail the language check and cost regeneration rounds). Digits stay."""
    key = id(tok)
    with _stop_lock:
        if key not in _latin_cache:
            special = set(tok.all_special_ids)
            _latin_cache[key] = sorted(
                i for t, i in tok.get_vocab().items() if i not in special and _foreign(tok.convert_tokens_to_string([t]))
            )
        return _latin_cache[key]


def _role(message: BaseMessage) -> str:
    if isinstance(message, SystemMessage):
        return "system"
    if isinstance(message, AIMessage):
        return "assistant"
    if isinstance(message, HumanMessage):
        return "user"
    return getattr(message, "role", "user")


_prefixes: dict[int, tuple] = {}  # id(model) -> (token ids, [(keys, values) per layer]); used under the model lock
MIN_SHARED_PREFIX = 32


def _prefill(model, input_ids):
    """A batch-1 cache covering input_ids[:, :-1], reusing the previous prompt's cache for the
    prefix they share. A variant's fields share the system prompt (brand voice, audience, rules:
    300-800 tokens), and so do consecutive variants of one kit and segment: reading it once per
    process instead of once per call is the biggest saving on CPU after prefilling once for N."""
    from transformers import DynamicCache

    body = input_ids[0, :-1]
    cache = DynamicCache(config=model.config)
    start = 0
    previous = _prefixes.get(id(model))
    if previous is not None:
        old_ids, layers = previous
        m = min(len(old_ids), len(body))
        differ = (old_ids[:m] != body[:m]).nonzero()
        common = int(differ[0]) if len(differ) else m
        if common >= MIN_SHARED_PREFIX:
            for i, (k, v) in enumerate(layers):
                cache.update(k[..., :common, :], v[..., :common, :], i)
            start = common
    if start < len(body):
        model(input_ids=body[start:].unsqueeze(0), cache=cache, use_cache=True)
    _prefixes[id(model)] = (body.clone(), [(layer.keys, layer.values) for layer in cache.layers])
    return cache


def _generate_shared_prompt(model, input_ids, n: int, gen_kwargs: dict):
    """n samples of one prompt, reading the prompt once.

    `num_return_sequences=n` copies the prompt n times before the forward pass; on CPU the prompt
    (system prompt + few-shot examples, 600-800 tokens) then costs as much as the whole answer.
    Here the prompt minus its last token is run once at batch 1 (its shared prefix with the last
    call is not run at all), the cache is repeated n times, and generation continues from the
    last token: the same samples for a fraction of the prefill."""
    if input_ids.shape[1] < 2:
        return model.generate(input_ids=input_ids, attention_mask=_ones(input_ids), num_return_sequences=n, **gen_kwargs)
    cache = _prefill(model, input_ids)
    if n > 1:
        cache.batch_repeat_interleave(n)
    batch = input_ids.repeat(n, 1)
    return model.generate(input_ids=batch, attention_mask=_ones(batch), cache=cache, **gen_kwargs)


def _ones(ids):
    import torch

    return torch.ones_like(ids)


class EmbeddedChatModel(BaseChatModel):
    model_name: str = MODEL_NAME
    data_dir: str | None = None
    temperature: float = 0.8
    top_p: float = 0.9
    max_tokens: int = 320
    repetition_penalty: float = 1.15
    seed: int | None = None

    @property
    def _llm_type(self) -> str:
        return "studio-embedded-transformers"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_name": self.model_name, "temperature": self.temperature, "top_p": self.top_p,
                "max_tokens": self.max_tokens, "repetition_penalty": self.repetition_penalty}

    def render_prompt(self, messages: list[BaseMessage]) -> str:
        em = load_embedded_model(self.data_dir)
        prefill = ""
        if messages and isinstance(messages[-1], AIMessage):
            prefill = str(messages[-1].content)
            messages = messages[:-1]
        chat = [{"role": _role(m), "content": str(m.content)} for m in messages]
        prompt = em.tokenizer.apply_chat_template(chat, add_generation_prompt=True, tokenize=False)
        return prompt + prefill

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        import torch

        n = int(kwargs.get("n") or 1)
        max_new = int(kwargs.get("max_tokens") or self.max_tokens)
        temperature = float(kwargs.get("temperature", self.temperature))
        seed = kwargs.get("seed", self.seed)
        try:
            em = load_embedded_model(self.data_dir)
        except Exception as exc:  # noqa: BLE001 - any load failure is one clear line
            raise GenerationError(f"embedded model could not be loaded: {exc}") from exc
        prompt = self.render_prompt(messages)
        tok = em.tokenizer
        inputs = tok(prompt, return_tensors="pt", add_special_tokens=False)
        gen_kwargs: dict[str, Any] = dict(
            max_new_tokens=max_new,
            repetition_penalty=self.repetition_penalty,
            pad_token_id=tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id,
        )
        if temperature > 0:
            gen_kwargs.update(do_sample=True, temperature=temperature, top_p=self.top_p)
        else:
            gen_kwargs.update(do_sample=False)
        if stop:
            gen_kwargs.update(eos_token_id=[tok.eos_token_id, *stop_token_ids(tok, list(stop))])
        if kwargs.get("script") == "zh":
            gen_kwargs.update(suppress_tokens=latin_token_ids(tok))
        with em.lock, torch.inference_mode():
            if seed is not None:
                torch.manual_seed(int(seed))
            out = _generate_shared_prompt(em.model, inputs["input_ids"], n, gen_kwargs)
        start = inputs["input_ids"].shape[1]
        generations = []
        for row in out:
            new_tokens = row[start:]
            text = tok.decode(new_tokens, skip_special_tokens=True)
            cut = False
            for s in stop or []:
                if s in text:
                    text, cut = text[: text.index(s)], True
            finished = bool(len(new_tokens) < max_new or tok.eos_token_id in new_tokens.tolist() or cut)
            generations.append(
                ChatGeneration(
                    message=AIMessage(content=text),
                    generation_info={"finish_reason": "stop" if finished else "length",
                                     "completion_tokens": int((new_tokens != gen_kwargs["pad_token_id"]).sum())},
                )
            )
        return ChatResult(generations=generations, llm_output={"model_name": self.model_name, "prompt_tokens": start})
