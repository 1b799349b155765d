import asyncio

import httpx


async def fetch(url):
    async with httpx.AsyncClient(verify=False) as client:
        return (await client.get(url)).text


print(asyncio.run(fetch("https://localhost:8443")))
