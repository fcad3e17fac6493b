"""The adapters and the MCP server read one declaration: same names, descriptions and JSON
schemas; no framework (nor the MCP SDK) is loaded by ``import zoom_agent_tools``."""

from __future__ import annotations

from typing import Any

from langchain_core.utils.function_calling import convert_to_openai_tool
from mcp.shared.memory import create_connected_server_and_client_session

from tests.core.test_imports import loaded_by
from tests.mcp_server.checks import check_listing
from zoom_agent_tools import OPERATIONS, AccessTokenAuth, ZoomClient
from zoom_agent_tools.langchain import ZoomToolkit
from zoom_agent_tools.llamaindex import ZoomToolSpec
from zoom_agent_tools.mcp import ZoomMCPServer


def _client() -> ZoomClient:
    return ZoomClient(AccessTokenAuth("parity-token-123456"), base_url="http://127.0.0.1:9/v2")


def _inline(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with ``$ref``s replaced by their definitions, titles dropped."""
    defs = schema.get("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return walk(defs[node["$ref"].rsplit("/", 1)[-1]])
            return {k: walk(v) for k, v in node.items() if k not in ("title", "$defs")}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(schema)  # type: ignore[no-any-return]


async def test_adapters_expose_the_same_names_descriptions_and_schemas() -> None:
    client = _client()
    langchain_tools = ZoomToolkit(client=client).get_tools()
    llama_tools = ZoomToolSpec(client).to_tool_list()
    # The MCP tools as a client receives them, serialized and read back by the SDK.
    async with create_connected_server_and_client_session(ZoomMCPServer(client).server) as mcp:
        mcp_tools = (await mcp.list_tools()).tools
    # The ten tools of the contract, then the four of meeting intelligence: every adapter
    # takes them all from OPERATIONS.
    assert len(langchain_tools) == len(llama_tools) == len(mcp_tools) == len(OPERATIONS) == 14
    intelligence = [
        "zoom_list_past_meeting_instances",
        "zoom_get_meeting_transcript",
        "zoom_get_meeting_summary",
        "zoom_get_meeting_attendance",
    ]
    assert [t.name for t in langchain_tools[10:]] == intelligence
    assert [t.metadata.name for t in llama_tools[10:]] == intelligence
    assert [t.name for t in mcp_tools[10:]] == intelligence
    check_listing(mcp_tools)  # the MCP annotations, from the declarations
    for lc, li, mc, op in zip(langchain_tools, llama_tools, mcp_tools, OPERATIONS, strict=True):
        assert lc.name == li.metadata.name == mc.name == op.name
        assert lc.description == li.metadata.description == mc.description == op.description
        assert mc.inputSchema == lc.args_schema
        lc_function = convert_to_openai_tool(lc)["function"]
        li_function = li.metadata.to_openai_tool()["function"]
        assert lc_function["name"] == li_function["name"]
        assert lc_function["description"] == li_function["description"]
        lc_params = _inline(lc_function["parameters"])
        li_params = _inline(li_function["parameters"])
        # LlamaIndex keeps only type/properties/required/$defs of the model's schema.
        lc_params.pop("additionalProperties", None)
        lc_params.pop("description", None)
        assert lc_params == li_params
        assert lc_params == {
            k: v
            for k, v in _inline(op.args_model.model_json_schema(by_alias=True)).items()
            if k in ("type", "properties", "required")
        }


def test_every_parameter_is_described_for_the_model() -> None:
    for op in OPERATIONS:
        schema = _inline(op.args_model.model_json_schema(by_alias=True))
        pending = [(op.name, schema)]
        while pending:
            where, node = pending.pop()
            for name, prop in node.get("properties", {}).items():
                assert prop.get("description"), f"{where}.{name} has no description"
                for choice in [prop, *prop.get("anyOf", [])]:
                    if "properties" in choice:
                        pending.append((f"{where}.{name}", choice))


def test_importing_the_package_loads_no_agent_framework() -> None:
    frameworks = ("langchain", "langchain_core", "langgraph", "llama_index", "mcp", "uvicorn")
    assert loaded_by("import zoom_agent_tools, zoom_agent_tools.tools", frameworks) == []
