import asyncio

import aioftp


async def main():
    async with aioftp.Client.context("ftp.example.com") as client:
        for path, info in await client.list():
            print(path, info["type"])


asyncio.run(main())
