// Turns OpenCV.js's UMD build (Emscripten 1.39 embind) into an ES module that runs under a strict
// Content-Security-Policy: embind builds three kinds of functions from strings with `new Function`,
// which `script-src 'self' 'wasm-unsafe-eval'` forbids. Each is replaced, by exact text match, with
// a closure that does the same work; any mismatch with the pinned source fails the build instead of
// producing a half-patched file. The result is wrapped so a module worker can `import()` it and read
// `default` (the not-yet-initialised `cv`; wait for `cv.Mat`, never `await` it).

const patches = [
  {
    name: 'createNamedFunction',
    from: 'function createNamedFunction(name,body){name=makeLegalFunctionName(name);return new Function("body","return function "+name+"() {\\n"+\'    "use strict";\'+"    return body.apply(this, arguments);\\n"+"};\\n")(body)}',
    to: 'function createNamedFunction(name,body){name=makeLegalFunctionName(name);var named=function(){return body.apply(this,arguments)};Object.defineProperty(named,"name",{value:name});return named}',
  },
  {
    name: 'makeDynCaller',
    from: 'function makeDynCaller(dynCall){var args=[];for(var i=1;i<signature.length;++i){args.push("a"+i)}var name="dynCall_"+signature+"_"+rawFunction;var body="return function "+name+"("+args.join(", ")+") {\\n";body+="    return dynCall(rawFunction"+(args.length?", ":"")+args.join(", ")+");\\n";body+="};\\n";return new Function("dynCall","rawFunction",body)(dynCall,rawFunction)}',
    to: 'function makeDynCaller(dynCall){var arity=signature.length-1;return function(){var args=[rawFunction];for(var i=0;i<arity;++i){args.push(arguments[i])}return dynCall.apply(null,args)}}',
  },
  {
    name: 'craftInvokerFunction',
    fromStart: 'function craftInvokerFunction(humanName,argTypes,classType,cppInvokerFunc,cppTargetFunc){',
    fromEnd: 'var invokerFunction=new_(Function,args1).apply(null,args2);return invokerFunction}',
    to: [
      'function craftInvokerFunction(humanName,argTypes,classType,cppInvokerFunc,cppTargetFunc){',
      'var argCount=argTypes.length;if(argCount<2){throwBindingError("argTypes array size mismatch! Must at least get return value and \'this\' types!")}',
      'var isClassMethodFunc=argTypes[1]!==null&&classType!==null;var needsDestructorStack=false;',
      'for(var i=1;i<argTypes.length;++i){if(argTypes[i]!==null&&argTypes[i].destructorFunction===undefined){needsDestructorStack=true;break}}',
      'var returns=argTypes[0].name!=="void";var expected=argCount-2;',
      'return function(){',
      'if(arguments.length!==expected){throwBindingError("function "+humanName+" called with "+arguments.length+" arguments, expected "+expected+" args!")}',
      'var destructors=needsDestructorStack?[]:null;var wired=[cppTargetFunc];var thisWired;',
      'if(isClassMethodFunc){thisWired=argTypes[1].toWireType(destructors,this);wired.push(thisWired)}',
      'for(var a=0;a<expected;++a){wired.push(argTypes[a+2].toWireType(destructors,arguments[a]))}',
      'var rv=cppInvokerFunc.apply(null,wired);',
      'if(needsDestructorStack){runDestructors(destructors)}else{',
      'for(var d=isClassMethodFunc?1:2;d<argTypes.length;++d){if(argTypes[d].destructorFunction!==null){argTypes[d].destructorFunction(d===1?thisWired:wired[d-1+(isClassMethodFunc?1:0)])}}}',
      'if(returns){return argTypes[0].fromWireType(rv)}};}',
    ].join(''),
  },
  {
    name: '__emval_get_method_caller',
    fromStart: 'var functionName=makeLegalFunctionName("methodCaller_"+signatureName);',
    fromEnd: 'var invokerFunction=new_(Function,params).apply(null,args);',
    to: [
      'var invokerFunction=function(handle,name,destructors,args){var offset=0;var values=[];',
      'for(var i=0;i<argCount-1;++i){values.push(types[1+i].readValueFromPointer(args+offset));offset+=types[i+1]["argPackAdvance"]}',
      'var rv=handle[name].apply(handle,values);',
      'for(var j=0;j<argCount-1;++j){if(types[j+1]["deleteObject"]){types[j+1].deleteObject(values[j])}}',
      'if(!retType.isVoid){return retType.toWireType(destructors,rv)}};',
    ].join(''),
  },
];

function replaceOnce(text, patch) {
  let start;
  let end;
  if (patch.from) {
    start = text.indexOf(patch.from);
    if (start < 0 || text.indexOf(patch.from, start + 1) >= 0) throw new Error(`opencv-esm: ${patch.name} not found exactly once`);
    end = start + patch.from.length;
  } else {
    start = text.indexOf(patch.fromStart);
    if (start < 0 || text.indexOf(patch.fromStart, start + 1) >= 0) throw new Error(`opencv-esm: ${patch.name} not found exactly once`);
    const tail = text.indexOf(patch.fromEnd, start);
    if (tail < 0) throw new Error(`opencv-esm: end of ${patch.name} not found`);
    end = tail + patch.fromEnd.length;
  }
  return text.slice(0, start) + patch.to + text.slice(end);
}

/** The patched UMD script, still a classic script (used by the tests in Node). */
export function patchOpenCv(source) {
  let text = source;
  for (const patch of patches) text = replaceOnce(text, patch);
  if (/new Function|new_\(Function/.test(text)) throw new Error('opencv-esm: a string-built function is left');
  return text;
}

export async function derive(bytes) {
  const patched = patchOpenCv(new TextDecoder().decode(bytes));
  // The UMD factory stores its result on the `this` it is called with; give it a private object.
  const module = [
    '// Derived from @techstark/opencv-js dist/opencv.js by models/derive/opencv-esm.mjs; do not edit.',
    'const umdRoot = {};',
    '(function () {',
    patched,
    '}).call(umdRoot);',
    'export default umdRoot.cv;',
    '',
  ].join('\n');
  return new TextEncoder().encode(module);
}
