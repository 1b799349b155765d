import asyncio

import telnetlib3


async def shell(reader, writer):
    writer.write("hello\r\n")
    await writer.drain()


async def main():
    reader, writer = await telnetlib3.open_connection("localhost", 6023)
    await shell(reader, writer)


asyncio.run(main())
